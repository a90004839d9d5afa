package cacheprog

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"goset.dev/tools/internal/cachestore"
)

// goRequest is the request as cmd/go encodes it (cmd/go/internal/cacheprog).
type goRequest struct {
	ID       int64
	Command  string
	ActionID []byte `json:",omitempty"`
	OutputID []byte `json:",omitempty"`
	BodySize int64  `json:",omitempty"`
}

// stream builds the bytes cmd/go writes: the JSON request, an empty line,
// then for a put with a body the body as a quoted base64 line.
type stream struct{ bytes.Buffer }

func (s *stream) request(req goRequest) *stream {
	json.NewEncoder(&s.Buffer).Encode(req)
	s.WriteByte('\n')
	return s
}

func (s *stream) put(id int64, action []byte, body []byte) *stream {
	out := sha256.Sum256(body)
	return s.putSized(id, action, out[:], body, int64(len(body)))
}

func (s *stream) putSized(id int64, action, output []byte, body []byte, size int64) *stream {
	s.request(goRequest{ID: id, Command: "put", ActionID: action, OutputID: output, BodySize: size})
	if size > 0 {
		s.WriteString(`"` + base64.StdEncoding.EncodeToString(body) + "\"\n")
	}
	return s
}

func (s *stream) get(id int64, action []byte) *stream {
	return s.request(goRequest{ID: id, Command: "get", ActionID: action})
}

func action(name string) []byte {
	sum := sha256.Sum256([]byte(name))
	return sum[:]
}

func serve(t *testing.T, in *stream) ([]response, Stats, string) {
	t.Helper()
	store, err := cachestore.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out, missLog bytes.Buffer
	stats, err := Serve(&in.Buffer, &out, store, &missLog)
	if err != nil {
		t.Fatalf("Serve: %v", err)
	}
	var responses []response
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var res response
		if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
			t.Fatalf("response %q: %v", sc.Text(), err)
		}
		responses = append(responses, res)
	}
	return responses, stats, missLog.String()
}

func TestServePutGet(t *testing.T) {
	big := bytes.Repeat([]byte{0, 1, 2, 250, 251}, 300_000)
	in := new(stream).
		get(1, action("a")).
		put(2, action("a"), []byte("compiled")).
		get(3, action("a")).
		put(4, action("empty"), nil).
		get(5, action("empty")).
		put(6, action("big"), big).
		get(7, action("big")).
		request(goRequest{ID: 8, Command: "close"})
	responses, stats, missLog := serve(t, in)

	if len(responses) != 9 {
		t.Fatalf("%d responses: %+v", len(responses), responses)
	}
	first := responses[0]
	if first.ID != 0 || strings.Join(first.KnownCommands, ",") != "get,put,close" {
		t.Fatalf("first response = %+v", first)
	}
	for i, res := range responses[1:] {
		if res.ID != int64(i+1) || res.Err != "" {
			t.Fatalf("response %d = %+v", i+1, res)
		}
	}
	if !responses[1].Miss {
		t.Fatalf("get before put = %+v; want a miss", responses[1])
	}
	checkHit := func(putRes, getRes response, body []byte) {
		t.Helper()
		want := sha256.Sum256(body)
		if getRes.Miss || !bytes.Equal(getRes.OutputID, want[:]) || getRes.Size != int64(len(body)) || getRes.DiskPath != putRes.DiskPath {
			t.Fatalf("get = %+v after put %+v", getRes, putRes)
		}
		if got, err := os.ReadFile(getRes.DiskPath); err != nil || !bytes.Equal(got, body) {
			t.Fatalf("DiskPath holds %d bytes (err %v), want %d", len(got), err, len(body))
		}
	}
	checkHit(responses[2], responses[3], []byte("compiled"))
	checkHit(responses[4], responses[5], nil)
	checkHit(responses[6], responses[7], big)

	if want := (Stats{Gets: 4, Hits: 3, Misses: 1, Puts: 3}); stats != want {
		t.Fatalf("stats = %+v, want %+v", stats, want)
	}
	if got := stats.String(); got != "gocacheprog: gets=4 hits=3 misses=1 puts=3" {
		t.Fatalf("summary = %q", got)
	}
	if missLog != hex.EncodeToString(action("a"))+"\n" {
		t.Fatalf("miss log = %q", missLog)
	}
}

func TestServeStopsAtClose(t *testing.T) {
	in := new(stream).
		request(goRequest{ID: 1, Command: "close"}).
		get(2, action("after close"))
	responses, stats, _ := serve(t, in)
	if len(responses) != 2 || responses[1].ID != 1 || stats.Gets != 0 {
		t.Fatalf("responses %+v, stats %+v; want only the close answered", responses, stats)
	}
}

func TestServeFailedPutKeepsStreamInSync(t *testing.T) {
	out := sha256.Sum256([]byte("abc"))
	in := new(stream).
		putSized(1, action("a"), out[:], []byte("abc"), 5).
		request(goRequest{ID: 2, Command: "stat"}).
		put(3, action("b"), []byte("fine"))
	responses, stats, _ := serve(t, in)
	if len(responses) != 4 {
		t.Fatalf("responses = %+v", responses)
	}
	if responses[1].Err == "" || responses[2].Err == "" {
		t.Fatalf("bad put and unknown command must answer Err: %+v", responses[1:3])
	}
	if responses[3].Err != "" || responses[3].DiskPath == "" || stats.Puts != 1 {
		t.Fatalf("put after a failed put = %+v, stats %+v", responses[3], stats)
	}
}

func TestServeRejectsBrokenStreams(t *testing.T) {
	tests := map[string]string{
		"not json":          "hello\n",
		"body not quoted":   `{"ID":1,"Command":"put","ActionID":"AQ==","OutputID":"AQ==","BodySize":1}` + "\n\nAQ==\n",
		"body unterminated": `{"ID":1,"Command":"put","ActionID":"AQ==","OutputID":"AQ==","BodySize":1}` + "\n\n\"AQ==",
		"body with escape":  `{"ID":1,"Command":"put","ActionID":"AQ==","OutputID":"AQ==","BodySize":1}` + "\n\n\"A\\/==\"\n",
	}
	for name, input := range tests {
		t.Run(name, func(t *testing.T) {
			store, err := cachestore.Open(t.TempDir(), nil)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if _, err := Serve(strings.NewReader(input), &out, store, nil); err == nil {
				t.Fatalf("Serve accepted %q", input)
			}
		})
	}
}
