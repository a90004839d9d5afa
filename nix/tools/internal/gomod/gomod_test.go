package gomod

import (
	"path/filepath"
	"reflect"
	"testing"

	"goset.dev/tools/internal/gotest"
)

func TestRead(t *testing.T) {
	tests := []struct {
		name, text string
		want       File
	}{
		{
			name: "blocks, quotes and comments",
			text: "// a leaf\nmodule \"example.com/app\" // the app\n\ngo 1.22\n\nrequire example.com/a v1.0.0\n\nrequire (\n\t\"example.com/b\" v0.1.0 // indirect\n)\n\n" +
				"replace (\n\texample.com/a => ./a\n\texample.com/b v0.1.0 => example.com/fork v0.2.0\n)\n",
			want: File{
				Module:  ModuleVersion{Path: "example.com/app"},
				Require: []ModuleVersion{{"example.com/a", "v1.0.0"}, {"example.com/b", "v0.1.0"}},
				Replace: []Replacement{
					{Old: ModuleVersion{Path: "example.com/a"}, New: ModuleVersion{Path: "./a"}},
					{Old: ModuleVersion{"example.com/b", "v0.1.0"}, New: ModuleVersion{"example.com/fork", "v0.2.0"}},
				},
			},
		},
		{
			name: "no module line",
			text: "go 1.22\n",
			want: File{},
		},
	}
	goBin := gotest.GoBinary(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			gotest.WriteFiles(t, dir, map[string]string{"go.mod": tt.text})
			got, err := Read(goBin, filepath.Join(dir, "go.mod"))
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Read = %+v, %v\nwant %+v", got, err, tt.want)
			}
		})
	}
}

func TestReadRejectsABrokenGoMod(t *testing.T) {
	dir := t.TempDir()
	gotest.WriteFiles(t, dir, map[string]string{"go.mod": "module example.com/app\nrequire (\n"})
	if got, err := Read(gotest.GoBinary(t), filepath.Join(dir, "go.mod")); err == nil {
		t.Fatalf("Read = %+v, want an error", got)
	}
}
