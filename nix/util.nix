# Small helpers shared by the library, on builtins only.
let
  inherit (builtins) replaceStrings split isList isString filter concatStringsSep listToAttrs attrValues unsafeDiscardStringContext foldl' head length elemAt match;

  # The words of each line of a text, comments (//) and quotes removed.
  lineWords = text:
    map (line: filter (w: isString w && w != "") (split "[ \t\r]+" (replaceStrings [ "\"" ] [ "" ] (head (split "//" line)))))
      (filter isString (split "\n" text));

  upper = [ "A" "B" "C" "D" "E" "F" "G" "H" "I" "J" "K" "L" "M" "N" "O" "P" "Q" "R" "S" "T" "U" "V" "W" "X" "Y" "Z" ];
  escapedLower = map (c: "!" + builtins.replaceStrings upper [ "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" "k" "l" "m" "n" "o" "p" "q" "r" "s" "t" "u" "v" "w" "x" "y" "z" ] c) upper;
in
rec {
  # Module path or version as GOMODCACHE and proxies spell it: "A" -> "!a".
  escapeCase = replaceStrings upper escapedLower;

  # The directory of a module in a GOMODCACHE, relative to its root.
  moduleDir = path: version: "${escapeCase path}@${escapeCase version}";

  # A store-path name from a module path: characters Nix rejects become "-",
  # with no leading dot.
  storeName = s:
    let
      safe = concatStringsSep "" (map (x: if isList x then "-" else x) (split "[^A-Za-z0-9+._?=-]" s));
      lead = builtins.match "[.]*(.*)" safe;
    in
    builtins.head lead;

  # The modcache manifest entry of module `path` as a member's providedModules describes it
  # (`m`), its go.mod under `out`/modules: the module's fetched source with
  # that go.mod. The go.sum hash, when the set records it, spares the build
  # from hashing the module's files.
  moduleManifest = out: path: m:
    {
      inherit path;
      inherit (m) version;
      dir = "${m.src}";
      goModFile = "${out}/modules/${m.dir}/go.mod";
    }
    // (if m ? sum then { inherit (m) sum; } else { });

  # The manifest entry of set member `path`, provided by derivation `drv`.
  manifestEntry = path: drv: moduleManifest "${drv}" path drv.providedModules.${path};

  # Derivations without repeats (by output path), sorted by output path.
  uniqueDrvs = drvs:
    attrValues (listToAttrs (map (d: { name = unsafeDiscardStringContext d.outPath; value = d; }) drvs));

  # The requirements of a go.mod's text: [ { path, version } ], from
  # `require path version` lines and `require ( ... )` blocks.
  goModRequires = text:
    let
      step = acc: w:
        if acc.block then
          (if w == [ ")" ] then acc // { block = false; }
          else if length w >= 2 then acc // { reqs = acc.reqs ++ [ { path = head w; version = elemAt w 1; } ]; }
          else acc)
        else if w == [ "require" "(" ] then acc // { block = true; }
        else if length w >= 3 && head w == "require" then acc // { reqs = acc.reqs ++ [ { path = elemAt w 1; version = elemAt w 2; } ]; }
        else acc;
    in
    (foldl' step { block = false; reqs = [ ]; } (lineWords text)).reqs;

  # The module paths a go.sum's text has a zip hash for (`path version h1:`,
  # not `path version/go.mod h1:`): the modules whose files a build reads.
  goSumZipPaths = text:
    map head (filter (w: length w == 3 && match ".*/go[.]mod" (elemAt w 1) == null) (lineWords text));
}
