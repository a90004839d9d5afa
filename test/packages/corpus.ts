/**
 * Hand-written Go files for the edge cases of go/build's file selection and
 * import reading. Each file goes in a package directory of its own, so go
 * list's per-package answer is that file's answer.
 */
export interface CorpusFile {
  readonly name: string;
  readonly text: string;
}

const file = (name: string, text: string): CorpusFile => ({ name, text });
const pkg = "package p\n";

export const CORPUS: readonly CorpusFile[] = [
  // Where build constraint lines count
  file("bom.go", "\uFEFF//go:build linux\n\npackage p\n\nimport \"fmt\"\n"),
  file("bom_twice.go", "\uFEFF\uFEFFpackage p\n\nimport \"fmt\"\n"),
  file("plus_noblank.go", `// +build ignore\n${pkg}`),
  file("plus_blank.go", `// +build darwin\n\n${pkg}`),
  file("plus_lines_and.go", `// +build linux darwin\n// +build arm64\n\n${pkg}`),
  file("plus_neg_comma.go", `// +build !linux,amd64\n\n${pkg}`),
  file("plus_empty.go", `// +build\n\n${pkg}`),
  file("plus_bad_tag.go", `// +build linux-x darwin\n\n${pkg}`),
  file("plus_bad_neg.go", `// +build !linux-x\n\n${pkg}`),
  file("plus_double_neg.go", `// +build !!linux\n\n${pkg}`),
  file("plus_bang.go", `// +build ! linux\n\n${pkg}`),
  file("plus_empty_term.go", `// +build linux,,amd64\n\n${pkg}`),
  file("plus_no_space.go", `//+build darwin\n\n${pkg}`),
  file("plus_builds.go", `// +builds darwin\n\n${pkg}`),
  file("plus_then_doc.go", `// +build darwin\n// Package p.\n${pkg}`),
  file("plus_blank_doc.go", `// +build darwin\n\n// Package p.\n${pkg}`),
  file("plus_two_blocks.go", `// +build linux\n\n// +build arm64\n\n// Package p.\n${pkg}`),
  file("plus_after_block_comment.go", `/* x */\n// +build darwin\n\n${pkg}`),
  file("plus_in_block_comment.go", `/*\n// +build darwin\n\n*/\n${pkg}`),
  file("plus_indented.go", `\t  // +build darwin\n\n${pkg}`),
  file("plus_too_complex.go", `// +build ${Array.from({ length: 60 }, (_, i) => `t${i},u${i}`).join(" ")}\n// +build darwin\n\n${pkg}`),
  file("plus_and_go_build.go", `//go:build linux\n// +build darwin\n\n${pkg}`),
  file("plus_crlf.go", `// +build darwin\r\n\r\n${pkg}`),
  file("go_build_after_block.go", `/* x */\n//go:build darwin\n${pkg}`),
  file("go_build_in_block.go", `/*\n//go:build ignore\n*/\n${pkg}`),
  file("go_build_after_block_end.go", `/* a\n b */ //go:build ignore\n${pkg}`),
  file("go_build_after_package.go", `${pkg}\n//go:build ignore\n`),
  file("go_build_no_blank.go", `//go:build darwin\n${pkg}`),
  file("go_build_doc_between.go", `//go:build darwin\n// Package p.\n${pkg}`),
  file("go_build_twice.go", `//go:build linux\n//go:build linux\n\n${pkg}`),
  file("go_build_twice_blank.go", `//go:build linux\n\n//go:build darwin\n\n${pkg}`),
  file("go_build_dangling.go", `//go:build linux &&\n\n${pkg}`),
  file("go_build_trailing_comment.go", `//go:build linux // why\n\n${pkg}`),
  file("go_build_glued.go", `//go:buildlinux\n\n${pkg}`),
  file("go_build_empty.go", `//go:build\n\n${pkg}`),
  file("go_build_indented.go", ` \t//go:build darwin\n\n${pkg}`),
  file("go_build_tab.go", `//go:build\tdarwin\n\n${pkg}`),
  file("go_build_crlf.go", `//go:build darwin\r\n\r\npackage p\r\n\r\nimport "fmt"\r\n`),
  file("go_build_nbsp.go", `//go:build\u00a0darwin\n\n${pkg}`),

  // Expressions
  file("expr_parens.go", `//go:build (linux || darwin) && !(arm64 && cgo)\n\n${pkg}`),
  file("expr_precedence.go", `//go:build linux || darwin && arm64\n\n${pkg}`),
  file("expr_double_neg.go", `//go:build !!linux\n\n${pkg}`),
  file("expr_neg_paren.go", `//go:build !(!linux)\n\n${pkg}`),
  file("expr_single_amp.go", `//go:build linux & darwin\n\n${pkg}`),
  file("expr_unclosed.go", `//go:build (linux || darwin\n\n${pkg}`),
  file("expr_extra_close.go", `//go:build linux)\n\n${pkg}`),
  file("expr_unicode_tag.go", `//go:build linüx || darwin\n\n${pkg}`),
  file("expr_bad_char.go", `//go:build linux-x || darwin\n\n${pkg}`),
  file("expr_size_limit.go", `//go:build ${Array.from({ length: 999 }, (_, i) => `t${i}`).join(" || ")} || darwin\n\n${pkg}`),
  file("expr_size_over.go", `//go:build ${Array.from({ length: 1000 }, (_, i) => `t${i}`).join(" || ")} || darwin\n\n${pkg}`),
  file("plus_size_limit.go", `// +build ${Array.from({ length: 100 }, (_, i) => `t${i}`).join(" ")} darwin\n\n${pkg}`),
  file("plus_size_over.go", `// +build ${Array.from({ length: 101 }, (_, i) => `t${i}`).join(" ")} darwin\n// +build linux\n\n${pkg}`),
  file("tag_unix.go", `//go:build unix\n\n${pkg}`),
  file("tag_gc.go", `//go:build gc && !gccgo\n\n${pkg}`),
  file("tag_cgo.go", `//go:build cgo\n\n${pkg}`),
  file("tag_not_cgo.go", `//go:build !cgo\n\n${pkg}`),
  file("tag_release.go", `//go:build go1.26 && go1.1 && !go1.27\n\n${pkg}`),
  file("tag_feature_base.go", `//go:build amd64.v1 || arm64.v8.0\n\n${pkg}`),
  file("tag_feature_higher.go", `//go:build amd64.v2 || arm64.v8.1 || arm64.v9.0\n\n${pkg}`),
  file("tag_feature_other.go", `//go:build 386.sse2 || arm.7 || ppc64le.power8 || riscv64.rva20u64 || wasm.satconv\n\n${pkg}`),
  file("tag_exp_dwarf5.go", `//go:build goexperiment.dwarf5\n\n${pkg}`),
  file("tag_exp_default.go", `//go:build goexperiment.greenteagc && goexperiment.randomizedheapbase64\n\n${pkg}`),
  file("tag_exp_regabi.go", `//go:build goexperiment.regabiargs && goexperiment.regabiwrappers\n\n${pkg}`),
  file("tag_exp_off.go", `//go:build goexperiment.jsonv2 || goexperiment.simd || goexperiment.arenas || boringcrypto\n\n${pkg}`),
  file("tag_extra.go", `//go:build foo && !bar\n\n${pkg}`),
  file("tag_purego.go", `//go:build purego\n\n${pkg}`),
  file("tag_os_aliases.go", `//go:build linux && !android || darwin && !ios || solaris && !illumos\n\n${pkg}`),
  file("tag_android.go", `//go:build android || ios || illumos\n\n${pkg}`),

  // File names
  ...["linux", "darwin", "android", "ios", "solaris", "illumos", "windows", "amd64", "arm64", "arm", "386", "nacl", "amd64p32"].map((s) =>
    file(`name_${s}.go`, pkg),
  ),
  file("name_linux_arm64.go", pkg),
  file("name_darwin_amd64.go", pkg),
  file("name_amd64_linux.go", pkg),
  file("name_foo_linux.go", pkg),
  file("name_linux_foo.go", pkg),
  file("name_unix.go", pkg),
  file("linux.go", pkg),
  file("name_linux.amd64.go", pkg),
  file("name.linux_amd64.go", pkg),
  file("name_ios_arm64.go", pkg),
  file("name_wasip1_wasm.go", pkg),
  file("_hidden.go", pkg),
  file(".dotted.go", pkg),

  // Package clause
  file("pkg_documentation.go", "package documentation\n"),
  file("pkg_semicolon.go", 'package p; import "fmt"; import "os"; func F() {}\n'),
  file("pkg_comment_semicolon.go", 'package p /* x */ ; import /* y */ "fmt"\n'),
  file("pkg_paren.go", "package p )\n"),
  file("pkg_no_newline.go", "package p"),

  // Imports
  file("imp_group.go", `${pkg}\nimport (\n\t"fmt" // c\n\t/* c */ "os"; "strings"\n\tstr "strconv"\n\t. "math"\n\t_ "embed"\n)\n\nfunc F() {}\n`),
  file("imp_raw.go", `${pkg}import \`io\`\nimport x \`net/url\`\nimport . \`fmt\`\n`),
  file("imp_raw_cr.go", `${pkg}import \`f\rmt\`\n`),
  file("imp_escapes.go", `${pkg}import "\\x66mt"\nimport "\\u006fs"\nimport "\\157s/exec"\nimport "\\U00000073ort"\n`),
  file("imp_duplicates.go", `${pkg}import "fmt"\nimport f "fmt"\nimport ("os"; "fmt")\n`),
  file("imp_empty_group.go", `${pkg}import ()\nimport "fmt"\n`),
  file("imp_semicolon_group.go", `${pkg}import ( "fmt"; "os"; )\n`),
  file("imp_multiline_comment.go", `${pkg}import "fmt" /*\n*/ import "os"\n`),
  file("imp_line_comment_eof.go", `${pkg}import "fmt" // end`),
  file("imp_after_decl.go", `${pkg}import "fmt"\nvar X = 1\nimport "os"\n`),
  file("imp_before_comment_decl.go", `${pkg}import "fmt"\n// F.\nfunc F() {}\n`),
  file("imp_brace.go", `${pkg}import "fmt" }\n`),
  file("imp_unicode.go", `${pkg}import "example.com/ü/日本"\n`),
  file("imp_cgo.go", `${pkg}\n// #include <stdio.h>\nimport "C"\nimport "unsafe"\n`),
  file("imp_cgo_group.go", `${pkg}\nimport (\n\t"C"\n\t"fmt"\n)\n`),
  file("imp_cgo_named.go", `${pkg}\nimport _ "C"\n`),
  file("imp_cgo_tagged.go", `//go:build !cgo\n\n${pkg}\nimport "C"\n`),
  file("imp_nul_late.go", `${pkg}import "fmt"\nfunc F() {}\n// \0\n`),
  file("imp_unicode_name.go", `${pkg}import ß "fmt"\n`),
  file("imp_dot_glued.go", `${pkg}import ."fmt"\n`),
  file("imp_comment_with_newline_after_package.go", 'package p /* x\ny */ import "fmt"\n'),
  file("imp_stray_semicolon.go", `${pkg};\nimport "fmt"\n`),
  file("imp_double_semicolon_after_package.go", 'package p;; import "fmt"\n'),

  // go/build's reader stops at the first thing after the imports that is
  // not "import"; go/parser never sees what follows.
  file("reader_second_path.go", `${pkg}import "fmt" "os"\n`),
  file("reader_int.go", `${pkg}import "fmt"\nint := 1\n`),
  file("reader_important.go", `${pkg}import "fmt"\nimportant := 1\n`),
  file("reader_slash.go", `${pkg}import "fmt"\n/ x\n`),
  file("reader_bad_string_after.go", `${pkg}import "fmt"\nvar s = "\\q"\n`),

  // Bigger than the MiB production scans: the cut falls after the imports
  file("big_comment.go", `${pkg}\nimport "fmt"\n\n/*${"x".repeat(1 << 21)}*/\nvar _ = fmt.Sprint\n`),
  file("big_literal.go", `//go:build linux\n\n${pkg}\nimport (\n\t"os"\n)\n\nvar data = "${"a".repeat(1 << 21)}"\n`),
  file("big_multibyte.go", `${pkg}\nimport "fmt"\n\n// ${"ü".repeat(1 << 20)}\nvar _ = fmt.Sprint\n`),

  // Import sections go/parser rejects: go lists the file but takes no imports from it
  file("bad_one_line_group.go", `${pkg}\nimport ( "fmt" "os" )\n`),
  file("bad_path_space.go", `${pkg}import "a b"\n`),
  file("bad_path_empty.go", `${pkg}import ""\n`),
  file("bad_path_backslash.go", `${pkg}import "a\\\\b"\n`),
  file("bad_escape.go", `${pkg}import "a\\q"\n`),
  file("bad_octal.go", `${pkg}import "\\400"\n`),
  file("bad_surrogate.go", `${pkg}import "\\ud800"\n`),
  file("bad_invalid_utf8.go", `${pkg}import "\\xff"\n`),
  file("bad_not_graphic.go", `${pkg}import "\\U0010FFFF"\n`),
  file("bad_keyword_name.go", `${pkg}import func "fmt"\n`),
  file("bad_number.go", `${pkg}import 5\n`),
  file("bad_comma.go", `${pkg}import ("fmt", "os")\n`),
  file("bad_double_semicolon.go", `${pkg}import ( "fmt";; "os" )\n`),
  file("bad_unterminated_string.go", `${pkg}import "fmt\nimport "os"\n`),
  file("bad_unclosed_group.go", `${pkg}import (\n"fmt"\n`),
  file("bad_cgo.go", `${pkg}import "C" "fmt"\n`),
  file("bad_nul_import.go", `${pkg}import "fmt"\0\n`),
  file("bad_nul_group.go", `${pkg}import (\n"fmt" // \0\n)\n`),
  file("bad_nul_after_imports.go", `${pkg}import "fmt"\n\n\0\n`),
  file("bad_backslash_newline.go", `${pkg}import "a\\\nb"\n`),
  file("bad_unicode_digit_name.go", `${pkg}import \u0663 "fmt"\n`),
];

/**
 * An unterminated comment right after the imports (go then parses the whole
 * file and fails on it):
 * go takes no imports from it, we keep them, because in a truncated prefix
 * (what production scans) such an error is the cut, not the file.
 */
export const TRUNCATION_TOLERANT: readonly CorpusFile[] = [
  file("tolerant_unterminated_comment.go", `${pkg}import "fmt"\n/* never closed\n`),
  file("tolerant_unterminated_comment_group.go", `${pkg}import (\n\t"fmt"\n)\n\n/* never closed`),
];

/**
 * Files where we knowingly differ from go list. go gives a file without a
 * package clause the package name "" and lists it (breaking the package); we
 * report no header at all.
 */
export const NO_PACKAGE_CLAUSE: readonly CorpusFile[] = [
  file("nopkg_comment.go", "// Only a comment.\n"),
  file("nopkg_empty.go", ""),
  file("nopkg_same_line.go", 'package p import "fmt"\n'),
  file("nopkg_keyword_name.go", "package func\n"),
  file("nopkg_unterminated.go", "/* never closed\npackage p\n"),
];
