// Package cachestore keeps Go build cache entries in plain directories that
// can become Nix derivation outputs.
//
// Layout of one cache directory:
//
//	<dir>/a/<hh>/<actionID hex>   action record: "v1 <outputID hex> <size>\n"
//	<dir>/o/<hh>/<outputID hex>   output body, exactly the bytes go put
//
// <hh> is the first two hex digits of the file's name. Records carry no time
// so that two builds of the same derivation produce identical outputs. Every
// file is written to a temporary name in its final directory and renamed into
// place, body before record, so a record never names a missing or partial body.
package cachestore

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// recordVersion starts every action record; bump it when the format changes.
const recordVersion = "v1"

// maxIDLen bounds action and output IDs (go uses 32-byte SHA-256 sums).
const maxIDLen = 64

// Entry is what a hit returns: the output ID stored with the action ID, the
// body size and the absolute path of a regular file holding the body.
type Entry struct {
	OutputID []byte
	Size     int64
	DiskPath string
}

// Store writes to one directory and reads from it and from read-only inputs.
type Store struct {
	out    string
	inputs []string
}

// Open returns a Store writing into out (created if missing) and reading from
// out first, then from each input in order. Inputs must exist.
func Open(out string, inputs []string) (*Store, error) {
	if out == "" {
		return nil, errors.New("cache output directory is empty")
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(absOut, 0o755); err != nil {
		return nil, fmt.Errorf("creating cache output directory: %w", err)
	}
	s := &Store{out: absOut}
	for _, in := range inputs {
		absIn, err := filepath.Abs(in)
		if err != nil {
			return nil, err
		}
		info, err := os.Stat(absIn)
		if err != nil {
			return nil, fmt.Errorf("cache input %s: %w", in, err)
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("cache input %s: not a directory", in)
		}
		s.inputs = append(s.inputs, absIn)
	}
	return s, nil
}

// Get looks actionID up in the output directory, then in the inputs in order.
// ok is false on a miss. A record whose body is missing or has the wrong size
// is an error, not a miss: it means a cache directory was damaged.
func (s *Store) Get(actionID []byte) (e Entry, ok bool, err error) {
	if err := checkID("action", actionID); err != nil {
		return Entry{}, false, err
	}
	for _, dir := range s.dirs() {
		e, ok, err := getFrom(dir, actionID)
		if err != nil || ok {
			return e, ok, err
		}
	}
	return Entry{}, false, nil
}

// Put stores the body under outputID and records outputID for actionID, both
// in the output directory, and returns the body's path. It reads exactly size
// bytes from body. A body already stored under outputID is not rewritten.
func (s *Store) Put(actionID, outputID []byte, size int64, body io.Reader) (string, error) {
	if err := checkID("action", actionID); err != nil {
		return "", err
	}
	if err := checkID("output", outputID); err != nil {
		return "", err
	}
	if size < 0 {
		return "", fmt.Errorf("negative body size %d", size)
	}
	outHex := hex.EncodeToString(outputID)
	bodyPath := shardPath(s.out, "o", outHex)
	if hasBody(bodyPath, size) {
		if n, err := io.Copy(io.Discard, body); err != nil {
			return "", err
		} else if n != size {
			return "", fmt.Errorf("body of output %s: got %d bytes, want %d", outHex, n, size)
		}
	} else if err := writeAtomic(bodyPath, body, size); err != nil {
		return "", fmt.Errorf("storing output %s: %w", outHex, err)
	}
	record := formatRecord(outHex, size)
	actionPath := shardPath(s.out, "a", hex.EncodeToString(actionID))
	if err := writeAtomic(actionPath, strings.NewReader(record), int64(len(record))); err != nil {
		return "", fmt.Errorf("storing action %x: %w", actionID, err)
	}
	return bodyPath, nil
}

func (s *Store) dirs() []string {
	return append([]string{s.out}, s.inputs...)
}

func getFrom(dir string, actionID []byte) (Entry, bool, error) {
	actionPath := shardPath(dir, "a", hex.EncodeToString(actionID))
	data, err := os.ReadFile(actionPath)
	if errors.Is(err, fs.ErrNotExist) {
		return Entry{}, false, nil
	}
	if err != nil {
		return Entry{}, false, err
	}
	outHex, size, err := parseRecord(string(data))
	if err != nil {
		return Entry{}, false, fmt.Errorf("%s: %w", actionPath, err)
	}
	outputID, _ := hex.DecodeString(outHex)
	bodyPath := shardPath(dir, "o", outHex)
	if !hasBody(bodyPath, size) {
		return Entry{}, false, fmt.Errorf("%s: body %s is missing or not %d bytes", actionPath, bodyPath, size)
	}
	return Entry{OutputID: outputID, Size: size, DiskPath: bodyPath}, true, nil
}

func formatRecord(outHex string, size int64) string {
	return recordVersion + " " + outHex + " " + strconv.FormatInt(size, 10) + "\n"
}

func parseRecord(s string) (outHex string, size int64, err error) {
	fields := strings.Fields(s)
	if len(fields) != 3 || fields[0] != recordVersion || !strings.HasSuffix(s, "\n") {
		return "", 0, fmt.Errorf("malformed action record %q", s)
	}
	outputID, err := hex.DecodeString(fields[1])
	if err != nil || checkID("output", outputID) != nil || hex.EncodeToString(outputID) != fields[1] {
		return "", 0, fmt.Errorf("malformed output ID in action record %q", s)
	}
	size, err = strconv.ParseInt(fields[2], 10, 64)
	if err != nil || size < 0 {
		return "", 0, fmt.Errorf("malformed size in action record %q", s)
	}
	return fields[1], size, nil
}

func checkID(kind string, id []byte) error {
	if len(id) == 0 || len(id) > maxIDLen {
		return fmt.Errorf("%s ID has %d bytes, want 1 to %d", kind, len(id), maxIDLen)
	}
	return nil
}

func shardPath(dir, kind, name string) string {
	return filepath.Join(dir, kind, name[:2], name)
}

func hasBody(path string, size int64) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular() && info.Size() == size
}

// writeAtomic copies exactly size bytes of r to a temporary file next to path
// and renames it to path.
func writeAtomic(path string, r io.Reader, size int64) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	n, err := io.Copy(tmp, r)
	if err != nil {
		return err
	}
	if n != size {
		return fmt.Errorf("got %d bytes, want %d", n, size)
	}
	if err := tmp.Chmod(0o444); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
