// Package cacheprog speaks the GOCACHEPROG protocol of cmd/go (Go 1.24 and
// later; see cmd/go/internal/cacheprog) on top of a cachestore.Store.
//
// Requests are handled one at a time in arrival order. Each is a JSON line;
// cmd/go follows it with an empty line, and a put with BodySize > 0 then
// sends the body as one JSON string of standard base64, which is decoded as
// it streams in so bodies are never held in memory.
package cacheprog

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"goset.dev/tools/internal/cachestore"
)

// Stats counts the requests served.
type Stats struct {
	Gets, Hits, Misses, Puts int
}

// String is the summary line printed when the program stops.
func (s Stats) String() string {
	return fmt.Sprintf("gocacheprog: gets=%d hits=%d misses=%d puts=%d", s.Gets, s.Hits, s.Misses, s.Puts)
}

type request struct {
	ID       int64
	Command  string
	ActionID []byte
	OutputID []byte
	BodySize int64
}

type response struct {
	ID            int64
	Err           string   `json:",omitempty"`
	KnownCommands []string `json:",omitempty"`
	Miss          bool     `json:",omitempty"`
	OutputID      []byte   `json:",omitempty"`
	Size          int64    `json:",omitempty"`
	DiskPath      string   `json:",omitempty"`
}

// Serve announces its commands on w, then answers requests read from r until
// a close request (answered) or the end of r. Action IDs of get misses are
// written to missLog, one hex line each, when missLog is not nil. An error
// means the stream itself broke; a failed get or put is answered with Err.
func Serve(r io.Reader, w io.Writer, store *cachestore.Store, missLog io.Writer) (Stats, error) {
	var stats Stats
	br := bufio.NewReaderSize(r, 64<<10)
	bw := bufio.NewWriter(w)
	send := func(res response) error {
		if err := json.NewEncoder(bw).Encode(res); err != nil {
			return err
		}
		return bw.Flush()
	}
	if err := send(response{KnownCommands: []string{"get", "put", "close"}}); err != nil {
		return stats, err
	}
	for {
		line, err := readRequestLine(br)
		if err == io.EOF {
			return stats, nil
		}
		if err != nil {
			return stats, err
		}
		var req request
		if err := json.Unmarshal(line, &req); err != nil {
			return stats, fmt.Errorf("decoding request %q: %w", line, err)
		}
		switch req.Command {
		case "get":
			stats.Gets++
			res := get(store, req, missLog)
			if res.Miss {
				stats.Misses++
			} else if res.Err == "" {
				stats.Hits++
			}
			if err := send(res); err != nil {
				return stats, err
			}
		case "put":
			res, err := put(store, req, br)
			if err != nil {
				return stats, err
			}
			if res.Err == "" {
				stats.Puts++
			}
			if err := send(res); err != nil {
				return stats, err
			}
		case "close":
			return stats, send(response{ID: req.ID})
		default:
			if err := send(response{ID: req.ID, Err: fmt.Sprintf("unknown command %q", req.Command)}); err != nil {
				return stats, err
			}
		}
	}
}

func get(store *cachestore.Store, req request, missLog io.Writer) response {
	e, ok, err := store.Get(req.ActionID)
	if err != nil {
		return response{ID: req.ID, Err: err.Error()}
	}
	if !ok {
		if missLog != nil {
			fmt.Fprintln(missLog, hex.EncodeToString(req.ActionID))
		}
		return response{ID: req.ID, Miss: true}
	}
	return response{ID: req.ID, OutputID: e.OutputID, Size: e.Size, DiskPath: e.DiskPath}
}

// put stores the request's body. Its error is only for a broken stream; a
// store failure is reported in the response after the body has been consumed
// so that the next request is read from the right place.
func put(store *cachestore.Store, req request, br *bufio.Reader) (response, error) {
	body := io.Reader(bytes.NewReader(nil))
	var quoted *quotedReader
	if req.BodySize > 0 {
		if err := skipToQuote(br); err != nil {
			return response{}, fmt.Errorf("reading body of put %d: %w", req.ID, err)
		}
		quoted = &quotedReader{r: br}
		body = base64.NewDecoder(base64.StdEncoding, quoted)
	}
	path, putErr := store.Put(req.ActionID, req.OutputID, req.BodySize, body)
	if quoted != nil {
		if _, err := io.Copy(io.Discard, quoted); err != nil {
			return response{}, fmt.Errorf("reading body of put %d: %w", req.ID, err)
		}
	}
	if putErr != nil {
		return response{ID: req.ID, Err: putErr.Error()}, nil
	}
	return response{ID: req.ID, DiskPath: path}, nil
}

// readRequestLine returns the next non-empty line without its newline.
func readRequestLine(br *bufio.Reader) ([]byte, error) {
	for {
		line, err := br.ReadBytes('\n')
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) > 0 {
			if err != nil && err != io.EOF {
				return nil, err
			}
			return trimmed, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func skipToQuote(br *bufio.Reader) error {
	for {
		b, err := br.ReadByte()
		if err == io.EOF {
			return io.ErrUnexpectedEOF
		}
		if err != nil {
			return err
		}
		switch b {
		case '"':
			return nil
		case ' ', '\t', '\r', '\n':
		default:
			return fmt.Errorf("unexpected byte %q before body string", b)
		}
	}
}

// quotedReader yields the bytes of br up to the closing quote of a JSON
// string holding base64, which needs no escapes, and consumes the quote.
type quotedReader struct {
	r    *bufio.Reader
	done bool
}

func (q *quotedReader) Read(p []byte) (int, error) {
	if q.done {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if q.r.Buffered() == 0 {
		if _, err := q.r.Peek(1); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
	}
	buf, _ := q.r.Peek(min(len(p), q.r.Buffered()))
	if i := bytes.IndexAny(buf, "\"\\\n"); i >= 0 {
		if buf[i] != '"' {
			return 0, errors.New("body string holds an escape or a newline")
		}
		n := copy(p, buf[:i])
		q.r.Discard(i + 1)
		q.done = true
		return n, nil
	}
	n := copy(p, buf)
	q.r.Discard(n)
	return n, nil
}
