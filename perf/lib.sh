# Shared by scripts/perf.d/{20-startup,30-memory,40-latency}: binaries, Xvfb, profiles, launching
# an app and reading its marks, the memory of a process tree. Source it; it sets -euo pipefail.
set -euo pipefail

PERF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$PERF_DIR")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reelchat/target}"
APP="${REELCHAT_APP_BINARY:-$CARGO_TARGET_DIR/release/reelchat}"
MINIMAL="${REELCHAT_PERF_MINIMAL:-$CARGO_TARGET_DIR/release/reelchat-perf-minimal-window}"
RELAY="${REELCHAT_MOCK_RELAY:-$CARGO_TARGET_DIR/release/reelchat-mock-relay}"
SEED="$CARGO_TARGET_DIR/release/examples/seed_history"
WORK="${PERF_WORK:-$(mktemp -d /tmp/reelchat-perf.XXXXXX)}"
mkdir -p "$WORK"

plog() { printf '[perf] %s\n' "$*" >&2; }

# Appends one JSON object (a line) to $PERF_OUT, if set.
perf_emit() {
  if [ -n "${PERF_OUT:-}" ]; then printf '%s\n' "$1" >>"$PERF_OUT"; fi
}

# --- binaries ----------------------------------------------------------------------------------
# The release app with the frontend embedded. --build (PERF_BUILD=1) rebuilds it; otherwise it is
# built only when missing. Its perf marks need a build from this tree (commands/perf.rs).
perf_build_app() {
  if [ "${PERF_BUILD:-0}" = 1 ] || [ ! -x "$APP" ]; then
    plog "building the release app (cd ui && npm run tauri -- build --no-bundle)"
    (cd "$REPO_DIR/ui" && npm run tauri -- build --no-bundle) >&2
  fi
}
perf_build_minimal() {
  if [ "${PERF_BUILD:-0}" = 1 ] || [ ! -x "$MINIMAL" ]; then
    plog "building the minimal Tauri window (perf/minimal-window)"
    (cd "$PERF_DIR/minimal-window" && cargo build --release) >&2
  fi
}
perf_build_relay() {
  if [ "${PERF_BUILD:-0}" = 1 ] || [ ! -x "$RELAY" ]; then
    plog "building the mock relay (release)"
    (cd "$REPO_DIR" && cargo build --release -p reelchat-mock-relay) >&2
  fi
}
perf_build_seed() {
  if [ "${PERF_BUILD:-0}" = 1 ] || [ ! -x "$SEED" ]; then
    plog "building the history generator (crates/reelchat-studio/examples/seed_history.rs)"
    (cd "$REPO_DIR" && cargo build --release -p reelchat-studio --example seed_history) >&2
  fi
}

# --- the machine -------------------------------------------------------------------------------
perf_machine() {
  local cpu ram
  cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
  ram="$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  printf '%s cores, %s RAM, %s' "$(nproc)" "$ram" "$cpu"
}

# --- Xvfb (as e2e/run.sh: the first free display from :99) ---------------------------------------
PERF_XVFB_PID=""
PERF_PIDS=()
perf_cleanup() {
  local p
  for p in "${PERF_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  if [ -n "$PERF_XVFB_PID" ]; then
    kill -TERM "$PERF_XVFB_PID" 2>/dev/null || true
    wait "$PERF_XVFB_PID" 2>/dev/null || true
  fi
}
trap perf_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

perf_xvfb() {
  local n=99
  while [ -e "/tmp/.X${n}-lock" ] || [ -e "/tmp/.X11-unix/X${n}" ]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
  PERF_XVFB_PID=$!
  export DISPLAY=":$n"
  for _ in $(seq 1 100); do
    xdpyinfo >/dev/null 2>&1 && break
    sleep 0.1
  done
  xdpyinfo >/dev/null 2>&1 || { plog "Xvfb did not start"; cat "$WORK/xvfb.log" >&2; exit 1; }
  unset WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS REELCHAT_AUTO_DEMO
}

# The e2e lock: the measurements must not share the 2 cores with an end-to-end run.
perf_lock() {
  exec 9>/tmp/e2e.lock
  plog "waiting for /tmp/e2e.lock"
  flock 9
}

# --- profiles and launches -----------------------------------------------------------------------
# A fresh profile (HOME and XDG dirs) under $WORK; prints its path.
perf_profile() {
  local dir="$WORK/profile-$1-$RANDOM$RANDOM"
  mkdir -p "$dir"/{home,data,config,cache,state,runtime}
  chmod 700 "$dir/runtime"
  printf '%s' "$dir"
}

# perf_launch PROFILE LOG BINARY [VAR=VALUE...]: starts BINARY in PROFILE with marks to LOG.
# Sets PERF_T0_MS (wall clock just before the exec) and PERF_PID.
perf_launch() {
  local profile="$1" log="$2" bin="$3"
  shift 3
  : >"$log"
  local t0=$EPOCHREALTIME
  env HOME="$profile/home" \
    XDG_DATA_HOME="$profile/data" XDG_CONFIG_HOME="$profile/config" \
    XDG_CACHE_HOME="$profile/cache" XDG_STATE_HOME="$profile/state" \
    XDG_RUNTIME_DIR="$profile/runtime" \
    LANG="${PERF_LANG:-zh_CN.UTF-8}" LC_ALL="${PERF_LANG:-zh_CN.UTF-8}" \
    REELCHAT_KEYRING=off REELCHAT_PERF_LOG="$log" "$@" \
    "$bin" >"$log.out" 2>&1 &
  PERF_PID=$!
  PERF_PIDS+=("$PERF_PID")
  PERF_T0_MS="$(python3 -c "print(f'{float(\"$t0\") * 1000:.3f}')")"
}

# perf_wait_mark LOG MARK [TIMEOUT_S]: waits until LOG has MARK; prints its wall_ms.
perf_wait_mark() {
  local log="$1" mark="$2" timeout="${3:-60}" i
  for i in $(seq 1 $((timeout * 20))); do
    if grep -q "\"mark\":\"$mark\"" "$log" 2>/dev/null; then
      python3 "$PERF_DIR/marks.py" first "$log" "$mark"
      return 0
    fi
    kill -0 "$PERF_PID" 2>/dev/null || { plog "the app exited; its output:"; tail -n 20 "$log.out" >&2; return 1; }
    sleep 0.05
  done
  plog "no '$mark' mark after ${timeout}s (is $APP built from this tree? see $log.out)"
  return 1
}

# Stops the launched app and every process under it (WebKit's), by pid.
perf_stop() {
  local pid="$1" kids
  kids="$(python3 "$PERF_DIR/pss.py" --pids "$pid" 2>/dev/null || true)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for k in $kids; do [ "$k" = "$pid" ] || kill -KILL "$k" 2>/dev/null || true; done
}

# Runs e2e/perf/SPEC through e2e/run.sh (the lock is already held) with extra env.
perf_spec() {
  local spec="$1"
  shift
  env REELCHAT_APP_BINARY="$APP" REELCHAT_MOCK_RELAY="$RELAY" "$@" \
    bash "$REPO_DIR/e2e/run.sh" "$REPO_DIR/e2e/perf/$spec.spec.mjs" >&2
}
