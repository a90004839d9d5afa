package cachestore

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func actionID(n int) []byte {
	sum := sha256.Sum256([]byte(fmt.Sprintf("action %d", n)))
	return sum[:]
}

func putBytes(t *testing.T, s *Store, action []byte, body []byte) string {
	t.Helper()
	out := sha256.Sum256(body)
	path, err := s.Put(action, out[:], int64(len(body)), bytes.NewReader(body))
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return path
}

func mustGet(t *testing.T, s *Store, action []byte) Entry {
	t.Helper()
	e, ok, err := s.Get(action)
	if err != nil || !ok {
		t.Fatalf("Get = ok %v, err %v; want a hit", ok, err)
	}
	return e
}

func mustOpen(t *testing.T, out string, inputs ...string) *Store {
	t.Helper()
	s, err := Open(out, inputs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		body []byte
	}{
		{"empty", nil},
		{"small", []byte("hello")},
		{"large", bytes.Repeat([]byte("0123456789abcdef"), 1<<16)},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t, filepath.Join(t.TempDir(), "new", "out"))
			putPath := putBytes(t, s, actionID(i), tt.body)
			e := mustGet(t, s, actionID(i))
			want := sha256.Sum256(tt.body)
			if !bytes.Equal(e.OutputID, want[:]) || e.Size != int64(len(tt.body)) || e.DiskPath != putPath {
				t.Fatalf("Get = %+v; want output %x size %d path %s", e, want, len(tt.body), putPath)
			}
			if !filepath.IsAbs(e.DiskPath) || filepath.Ext(e.DiskPath) != "" {
				t.Fatalf("DiskPath %q must be absolute without extension", e.DiskPath)
			}
			got, err := os.ReadFile(e.DiskPath)
			if err != nil || !bytes.Equal(got, tt.body) {
				t.Fatalf("body file holds %d bytes (err %v), want %d", len(got), err, len(tt.body))
			}
		})
	}
}

func TestLayout(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	body := []byte("layout")
	putBytes(t, s, actionID(1), body)
	a := fmt.Sprintf("%x", actionID(1))
	o := fmt.Sprintf("%x", sha256.Sum256(body))
	record, err := os.ReadFile(filepath.Join(dir, "a", a[:2], a))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1 " + o + " 6\n"; string(record) != want {
		t.Fatalf("record = %q, want %q", record, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "o", o[:2], o)); err != nil {
		t.Fatal(err)
	}
	if names := listTree(t, dir); len(names) != 2 {
		t.Fatalf("cache holds %v; want exactly one record and one body, no temporary files", names)
	}
}

func TestMiss(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	if _, ok, err := s.Get(actionID(1)); ok || err != nil {
		t.Fatalf("Get on empty store = ok %v, err %v; want a miss", ok, err)
	}
}

func TestDuplicatePut(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	first := putBytes(t, s, actionID(1), []byte("same"))
	second := putBytes(t, s, actionID(1), []byte("same"))
	third := putBytes(t, s, actionID(2), []byte("same"))
	if first != second || first != third {
		t.Fatalf("paths differ: %s %s %s", first, second, third)
	}
	putBytes(t, s, actionID(1), []byte("changed"))
	e := mustGet(t, s, actionID(1))
	if got, _ := os.ReadFile(e.DiskPath); string(got) != "changed" {
		t.Fatalf("after re-put, body = %q; want the latest put", got)
	}
}

func TestZeroLengthBodiesShareOneFile(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	for i := range 3 {
		putBytes(t, s, actionID(i), nil)
	}
	for i := range 3 {
		if e := mustGet(t, s, actionID(i)); e.Size != 0 {
			t.Fatalf("size = %d", e.Size)
		}
	}
	if n := len(listTree(t, filepath.Join(dir, "o"))); n != 1 {
		t.Fatalf("%d body files, want 1", n)
	}
}

func TestInputsInOrder(t *testing.T) {
	root := t.TempDir()
	first, second, out := filepath.Join(root, "first"), filepath.Join(root, "second"), filepath.Join(root, "out")
	putBytes(t, mustOpen(t, first), actionID(1), []byte("from first"))
	putBytes(t, mustOpen(t, second), actionID(1), []byte("from second"))
	putBytes(t, mustOpen(t, second), actionID(2), []byte("only second"))

	s := mustOpen(t, out, first, second)
	bodyOf := func(n int) string {
		got, err := os.ReadFile(mustGet(t, s, actionID(n)).DiskPath)
		if err != nil {
			t.Fatal(err)
		}
		return string(got)
	}
	if got := bodyOf(1); got != "from first" {
		t.Fatalf("action 1 = %q; the first input must win", got)
	}
	if got := bodyOf(2); got != "only second" {
		t.Fatalf("action 2 = %q", got)
	}
	putBytes(t, s, actionID(1), []byte("from out"))
	if got := bodyOf(1); got != "from out" {
		t.Fatalf("action 1 = %q; the output directory must win over inputs", got)
	}
}

func TestInputsNeverWritten(t *testing.T) {
	root := t.TempDir()
	in, out := filepath.Join(root, "in"), filepath.Join(root, "out")
	putBytes(t, mustOpen(t, in), actionID(1), []byte("input body"))
	before := snapshot(t, in)

	s := mustOpen(t, out, in)
	mustGet(t, s, actionID(1))
	putBytes(t, s, actionID(1), []byte("input body"))
	putBytes(t, s, actionID(2), []byte("new body"))
	if e := mustGet(t, s, actionID(2)); !strings.HasPrefix(e.DiskPath, out+string(filepath.Separator)) {
		t.Fatalf("put landed at %s, outside %s", e.DiskPath, out)
	}
	if after := snapshot(t, in); after != before {
		t.Fatalf("input changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestDamagedEntries(t *testing.T) {
	tests := []struct {
		name   string
		damage func(dir, a, o string) error
	}{
		{"body missing", func(dir, a, o string) error { return os.Remove(filepath.Join(dir, "o", o[:2], o)) }},
		{"body truncated", func(dir, a, o string) error {
			p := filepath.Join(dir, "o", o[:2], o)
			os.Chmod(p, 0o644)
			return os.Truncate(p, 1)
		}},
		{"record garbled", func(dir, a, o string) error {
			p := filepath.Join(dir, "a", a[:2], a)
			os.Chmod(p, 0o644)
			return os.WriteFile(p, []byte("v2 zz 3\n"), 0o644)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := mustOpen(t, dir)
			putBytes(t, s, actionID(1), []byte("body"))
			a := fmt.Sprintf("%x", actionID(1))
			o := fmt.Sprintf("%x", sha256.Sum256([]byte("body")))
			if err := tt.damage(dir, a, o); err != nil {
				t.Fatal(err)
			}
			if _, ok, err := s.Get(actionID(1)); ok || err == nil {
				t.Fatalf("Get = ok %v, err %v; want an error", ok, err)
			}
		})
	}
}

func TestPutRejectsWrongSize(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	out := sha256.Sum256([]byte("abc"))
	if _, err := s.Put(actionID(1), out[:], 5, strings.NewReader("abc")); err == nil {
		t.Fatal("Put with a short body succeeded")
	}
	if names := listTree(t, dir); len(names) != 0 {
		t.Fatalf("failed put left %v", names)
	}
	if _, ok, _ := s.Get(actionID(1)); ok {
		t.Fatal("failed put is visible to Get")
	}
}

func TestOpenRejectsMissingInput(t *testing.T) {
	root := t.TempDir()
	if _, err := Open(filepath.Join(root, "out"), []string{filepath.Join(root, "absent")}); err == nil {
		t.Fatal("Open with a missing input succeeded")
	}
}

func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// snapshot describes every file and directory under dir with its mode, size
// and modification time.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v %d %d\n", path, info.Mode(), info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
