#!/usr/bin/env bash
# check-doc-refs.sh [ROOT]: the repository's references to its own documents must resolve. ROOT defaults to the
# repository this script is in. Exit 0 when everything resolves, 1 (one line per offender on stdout) when not,
# 2 when ROOT cannot be read.
#
# Offenders:
#  (a) a file cites a Markdown document (a word ending in ".md", bare, under a folder, or behind a glob) that is not in
#      the repository;
#  (b) a citation "MODEL.md §N" (also §N.M, §N-M, §N–§M, with the name in quotes or backquotes) names a section number
#      that is not a numbered heading of that document ("## 5. Forward pass", "### 5.6 MoE"); inside docs/, a "§N"
#      without a document name refers to the document it is written in;
#  (c) a repository path written in backquotes in docs/**/*.md (`engine/model/router.cpp`, `reports/db/`,
#      `perf/run_bench.{h,cpp}`, `evals/suites/*.json`, `evals/suites/<name>.json`) does not exist.
#
# (a) and (b): a cited name resolves relative to the citing file's folder, then the repository root, then docs/
# (so "MODEL.md §5" in a code comment means docs/MODEL.md). Not citations: words with a scheme (https://...) or a
# repository prefix ("owner/name:path", another project's document), words with characters no path of ours
# has ("datasets/…/SOURCE.md" describes a pattern), the output file names in OUTPUT_NAMES, and the per-folder
# convention names in CONVENTION_NAMES ("every data folder has a SOURCE.md") as long as one such file exists. An
# absolute path (a ".md" word starting with "/") never resolves: a user's clone has no such file.
#
# (c): a repository path is a backquoted span of path characters with a "/" whose first component is a top-level
# folder of the repository. Other projects' paths are left alone when they start otherwise (`inference/model.py`)
# or carry their repository as a prefix (`ggml-org/llama.cpp:tests/test-backend-ops.cpp`). Fenced code blocks are
# not read. A path that does not exist yet because a change of layout is under way may be listed in
# scripts/check-doc-refs.pending (one path, or folder/ for everything under it, per line); an entry that exists is
# an offender too, so the list empties as the layout lands.
#
# Files read: `git ls-files` (tracked, and untracked but not ignored) when ROOT is the top of a git work tree, else
# every file under ROOT except .git, /build, /out and CMake build trees. Not read: data files (JSON, JSONL, gz under
# datasets/, models/, tests/data/, benchmarks/*/data/, fuzz/), this script and its pending list. Needs bash 4.4,
# grep, awk, sed, findutils and coreutils (git when present).
set -u
export LC_ALL=C

OUTPUT_NAMES=(report.md out/report.md)   # files the program or the scripts write, not documents
CONVENTION_NAMES=(SOURCE.md README.md)   # "every data folder has a SOURCE.md"

root=${1:-"$(dirname "$0")/.."}
if ! root=$(cd "$root" 2>/dev/null && pwd -P); then
  echo "check-doc-refs: no such directory: ${1:-}" >&2
  exit 2
fi
pending_file=scripts/check-doc-refs.pending
failures=0

fail() {  # fail FILE LINE MESSAGE
  echo "check-doc-refs: $1:$2: $3"
  failures=$((failures + 1))
}

# ---- the files ------------------------------------------------------------------------------------------------
list_files() {
  local top
  if command -v git >/dev/null 2>&1 && top=$(git -C "$root" rev-parse --show-toplevel 2>/dev/null) &&
     [ "$(cd "$top" && pwd -P)" = "$root" ]; then
    git -C "$root" ls-files --cached --others --exclude-standard
  else
    (cd "$root" && find . \( -name .git -o -path ./build -o -path ./out \) -prune -o \
                       -type d -exec test -e '{}/CMakeCache.txt' \; -prune -o -type f -print) | sed 's|^\./||'
  fi
}

is_data() {
  case $1 in
    datasets/* | models/* | tests/data/* | benchmarks/*/data/* | fuzz/*)
      case $1 in *.json | *.jsonl | *.gz | *.safetensors | *.bin) return 0 ;; esac ;;
  esac
  case $1 in fuzz/regressions/*) return 0 ;; esac
  return 1
}

files=()
declare -A top_level=()       # first components of the files' paths: what (c) takes for repository folders
declare -A name_present=()    # base names present, for CONVENTION_NAMES
while IFS= read -r f; do
  [ -f "$root/$f" ] || continue   # listed by git but deleted in the work tree
  case $f in */*) top_level[${f%%/*}]=1 ;; esac
  name_present[${f##*/}]=1
  case $f in "$pending_file" | scripts/check-doc-refs.sh) continue ;; esac   # they quote what they check
  is_data "$f" || files+=("$f")
done < <(list_files | sort -u)

if [ ${#files[@]} -eq 0 ]; then
  echo "check-doc-refs: no files found under $root" >&2
  exit 2
fi

# ---- (a) cited documents --------------------------------------------------------------------------------------
# Everything below runs in bash itself, without a process per reference: forks are slow on small CI machines.

# normalize PATH: sets NORMALIZED to PATH without "." and "dir/.." components.
normalize() {
  local part out=() IFS=/ -
  set -f   # the parts may hold glob characters; they are not file names here
  for part in $1; do
    case $part in
      '' | .) ;;
      ..) if [ ${#out[@]} -gt 0 ]; then unset 'out[${#out[@]}-1]'; else out+=(..); fi ;;
      *) out+=("$part") ;;
    esac
  done
  NORMALIZED="${out[*]}"
}

# resolve DIR PATH: sets RESOLVED to the repository-relative path the citation names, or fails.
resolve() {
  local dir=$1 path=$2 candidate
  for candidate in "$dir/$path" "$path" "docs/$path"; do
    normalize "$candidate"
    case $NORMALIZED in ..*) continue ;; esac
    if [ -f "$root/$NORMALIZED" ] || { [[ $NORMALIZED == *[*]* ]] && compgen -G "$root/$NORMALIZED" >/dev/null; }; then
      RESOLVED=$NORMALIZED
      return 0
    fi
  done
  return 1
}

folder_of() {  # folder_of FILE: sets FOLDER to the file's folder ("." at the root)
  case $1 in */*) FOLDER=${1%/*} ;; *) FOLDER=. ;; esac
}

in_list() {  # in_list WORD LIST...
  local word=$1 item
  shift
  for item in "$@"; do [ "$item" = "$word" ] && return 0; done
  return 1
}

# A citation is the whole word that ends in .md (up to a blank, quote, bracket or punctuation). A word with a scheme
# (https://...) or a repository prefix (owner/name:path, as DeepSeek-V3's weights readme cited in docs/MODEL.md) names
# another project's document, and a word with characters no path of ours has ("datasets/…/SOURCE.md") describes a
# pattern; both are counted out below. Globs (`evals/*/README.md`) must match a file.
cite_re="[^][[:space:]\`\"'(){}<>|,;]*[A-Za-z0-9_-]\\.md\\b"
citations=0
while IFS= read -r hit; do
  file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}; cited=${rest#*:}
  case $cited in *:*) continue ;; esac                       # a URL or another repository's file
  case $cited in *[!A-Za-z0-9_.*/-]*) continue ;; esac        # a pattern, not a path
  citations=$((citations + 1))
  if [ "${cited#/}" != "$cited" ]; then
    fail "$file" "$line" "cites $cited, an absolute path that no clone of the repository has"
    continue
  fi
  folder_of "$file"
  dir=$FOLDER
  resolve "$dir" "$cited" && continue
  in_list "$cited" "${OUTPUT_NAMES[@]}" && continue
  if [ "${cited#*/}" = "$cited" ] && in_list "$cited" "${CONVENTION_NAMES[@]}" &&
     [ -n "${name_present[$cited]:-}" ]; then
    continue
  fi
  fail "$file" "$line" "cites $cited, which is not in the repository (looked in $dir/, the root and docs/)"
done < <(cd "$root" && printf '%s\0' "${files[@]}" | xargs -0 grep -I -H -n -o -E "$cite_re" 2>/dev/null)

# ---- (b) section numbers ----------------------------------------------------------------------------------------
declare -A sections=()   # document -> " 1 2 2.1 ... "
heading_re='^#{1,6}[[:space:]]+(§)?([0-9]+(\.[0-9]+)*)\.?([[:space:]].*)?$'
sections_of() {  # sections_of DOC: sets KNOWN to the numbers of its numbered headings, " 1 2 2.1 ... "
  local doc=$1 text
  if [ -z "${sections[$doc]+x}" ]; then
    KNOWN=" "
    while IFS= read -r text || [ -n "$text" ]; do
      [[ $text =~ $heading_re ]] && KNOWN+="${BASH_REMATCH[2]} "
    done < "$root/$doc"
    sections[$doc]=$KNOWN
  fi
  KNOWN=${sections[$doc]}
}

num_re='[0-9]+(\.[0-9]+)*'
range_re="§$num_re([[:space:]]*(-|–|—)[[:space:]]*(§)?$num_re)?"
sec_cite_re="[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.md[\`\"']?[[:space:]]*$range_re"

check_numbers() {  # check_numbers FILE LINE DOC TEXT: every number in TEXT must be a section of DOC
  local file=$1 line=$2 doc=$3 text=${4#*§} number
  sections_of "$doc"
  while [[ $text =~ ($num_re) ]]; do
    number=${BASH_REMATCH[1]}
    text=${text#*"$number"}
    case $KNOWN in
      *" $number "*) ;;
      *) fail "$file" "$line" "cites §$number of $doc, which has no such section (it has:${KNOWN% })" ;;
    esac
  done
}

while IFS= read -r hit; do
  file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}; cited=${rest#*:}
  name=${cited%%.md*}.md
  folder_of "$file"
  resolve "$FOLDER" "$name" || continue   # unresolved: reported by (a)
  case $RESOLVED in *[*]*) continue ;; esac
  check_numbers "$file" "$line" "$RESOLVED" "§${cited#*§}"
done < <(cd "$root" && printf '%s\0' "${files[@]}" | xargs -0 grep -I -H -n -o -E "$sec_cite_re" 2>/dev/null)

docs=()
for f in "${files[@]}"; do
  case $f in docs/*.md) docs+=("$f") ;; esac
done
# Inside docs/, "§N" without a document name before it refers to the document itself.
for doc in "${docs[@]}"; do
  while IFS= read -r hit; do
    line=${hit%%:*}; cited=${hit#*:}
    check_numbers "$doc" "$line" "$doc" "$cited"
  done < <(sed -E "s#$sec_cite_re##g" "$root/$doc" | grep -n -o -E "$range_re")
done

# ---- (c) backquoted repository paths in docs/ -------------------------------------------------------------------
pending=()
if [ -f "$root/$pending_file" ]; then
  while IFS= read -r entry; do
    entry=${entry%%#*}
    entry=${entry#"${entry%%[![:space:]]*}"}
    entry=${entry%"${entry##*[![:space:]]}"}
    [ -n "$entry" ] || continue
    pending+=("$entry")
    top_level[${entry%%/*}]=1
  done < "$root/$pending_file"
fi

# expand PATH: sets EXPANDED to the alternatives of its {a,b} groups.
expand() {
  EXPANDED=()
  expand_into "$1"
}
expand_into() {
  local path=$1 head body tail alt
  case $path in
    *\{*\}*)
      head=${path%%\{*}; body=${path#*\{}; tail=${body#*\}}; body=${body%%\}*}
      local IFS=, -
      set -f
      for alt in $body; do expand_into "$head$alt$tail"; done ;;
    *) EXPANDED+=("$path") ;;
  esac
}

exists() {  # exists PATH (one alternative): a file, folder, glob with a match, or a <placeholder> under a folder
  local path=$1 dir
  case $path in
    *\<*)
      dir=${path%%<*}; dir=${dir%/*}
      [ -d "$root/$dir" ] ;;
    *[*?]*) compgen -G "$root/$path" >/dev/null ;;
    *) [ -e "$root/$path" ] ;;
  esac
}

is_pending() {
  local path=${1%/} entry
  for entry in "${pending[@]}"; do
    entry=${entry%/}
    [ "$path" = "$entry" ] && return 0
    case $path in "$entry"/*) return 0 ;; esac
  done
  return 1
}

paths=0
for doc in "${docs[@]}"; do
  while IFS=$'\t' read -r line span; do
    span=${span%%#*}
    [[ $span =~ ^(.*):[0-9]+(-[0-9]+)?$ ]] && span=${BASH_REMATCH[1]}
    case $span in */*) ;; *) continue ;; esac
    case $span in *[!A-Za-z0-9_./*?{},\<\>+-]*) continue ;; esac   # not a bare path
    first=${span%%/*}
    [ -n "$first" ] && [ -n "${top_level[$first]:-}" ] || continue   # /usr, other projects' paths
    paths=$((paths + 1))
    expand "$span"
    for alt in "${EXPANDED[@]}"; do
      exists "$alt" && continue
      is_pending "$alt" && continue
      fail "$doc" "$line" "\`$alt\` does not exist (list it in $pending_file only while a move creates it)"
    done
  done < <(awk '
    /^[[:space:]]*(```|~~~)/ { fenced = !fenced; next }
    fenced { next }
    {
      text = $0
      while (match(text, /`[^`]+`/)) {
        printf "%d\t%s\n", FNR, substr(text, RSTART + 1, RLENGTH - 2)
        text = substr(text, RSTART + RLENGTH)
      }
    }' "$root/$doc")
done

for entry in "${pending[@]}"; do
  expand "${entry%/}"
  for alt in "${EXPANDED[@]}"; do
    if exists "$alt"; then
      fail "$pending_file" 0 "\`$entry\` exists now: remove it from the list (and check the docs that name it)"
    fi
  done
done

# ---- verdict ----------------------------------------------------------------------------------------------------
if [ "$failures" -gt 0 ]; then
  echo "check-doc-refs: $failures broken reference(s) in $root" >&2
  exit 1
fi
echo "check-doc-refs: ${#files[@]} files, $citations document citations, $paths paths in docs/: all resolve"
