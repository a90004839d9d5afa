module goset.dev/tools

go 1.24
