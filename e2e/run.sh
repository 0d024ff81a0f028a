#!/usr/bin/env bash
# End-to-end tests of the ReelChat desktop app: Xvfb + tauri-driver + WebdriverIO (mocha).
#
#   bash e2e/run.sh [--build] [SPEC...]
#
# --build   first builds the test binary (frontend embedded):
#             (cd ui && npm run tauri -- build --debug --no-bundle)
# SPEC      spec files to run (default: e2e/specs/*.spec.mjs), each in its own app profile.
#
# Env: CARGO_TARGET_DIR (default ~/.cache/reelchat/target), REELCHAT_APP_BINARY (default
# $CARGO_TARGET_DIR/debug/reelchat), REELCHAT_MOCK_RELAY (default
# $CARGO_TARGET_DIR/debug/reelchat-mock-relay, built with cargo if missing), E2E_LANG (the app's
# locale, default zh_CN.UTF-8; WebKitGTK takes navigator.language from it, so the locale must
# exist: generated with localedef if missing), E2E_DEMO_SPEED (the demo relay's tick in ms,
# default 250: a generation takes about 5 s with visible progress).
# The app gets REELCHAT_KEYRING=off (key in a 0600 file in the profile), REELCHAT_DEMO_SPEED and
# REELCHAT_TEST_ALLOW_LOOPBACK_MEDIA=1 (media from an external mock relay on loopback) and
# REELCHAT_TEST_PICK_IMAGE=<profile>/pick-image (a spec writes an image path there to stand in
# for the native file dialog).
# Screenshots go to e2e/screenshots/, logs and profiles to e2e/logs/ (both git-ignored).
# Needs: Xvfb, xdpyinfo (x11-utils), WebKitWebDriver (webkit2gtk-driver), tauri-driver, node,
# locales (localedef), fonts-noto-cjk.
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$E2E_DIR")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/reelchat/target}"
APP="${REELCHAT_APP_BINARY:-$CARGO_TARGET_DIR/debug/reelchat}"
RELAY="${REELCHAT_MOCK_RELAY:-$CARGO_TARGET_DIR/debug/reelchat-mock-relay}"
DEMO_SPEED="${E2E_DEMO_SPEED:-250}"
TAURI_DRIVER="${TAURI_DRIVER:-$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")}"
SCREENSHOT_DIR="$E2E_DIR/screenshots"
RUN_DIR="$E2E_DIR/logs/run-$(date +%Y%m%d-%H%M%S)-$$"

BUILD=0
SPECS=()
for arg in "$@"; do
  case "$arg" in
    --build) BUILD=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) SPECS+=("$(realpath "$arg")") ;;
  esac
done
if [ ${#SPECS[@]} -eq 0 ]; then
  SPECS=("$E2E_DIR"/specs/*.spec.mjs)
fi

log() { printf '[e2e] %s\n' "$*" >&2; }

XVFB_PID=""
DRIVER_PID=""
stop_driver() {
  if [ -n "$DRIVER_PID" ]; then
    # tauri-driver runs in its own process group (setsid): end it with WebKitWebDriver and the app.
    kill -TERM -- "-$DRIVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$DRIVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$DRIVER_PID" 2>/dev/null || true
    wait "$DRIVER_PID" 2>/dev/null || true
    DRIVER_PID=""
  fi
}
cleanup() {
  stop_driver
  if [ -n "$XVFB_PID" ]; then
    kill -TERM "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
    XVFB_PID=""
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export E2E_LANG="${E2E_LANG:-zh_CN.UTF-8}"

# WebKitGTK's navigator.language comes from the C library's locale (setlocale): a LANG whose
# locale is not installed silently falls back to "C", i.e. en-US.
ensure_locale() {
  local want="$1" name
  case "$want" in C | C.* | POSIX) return 0 ;; esac
  name="$(printf '%s' "$want" | sed -E 's/\.(UTF-8|utf8)$/.utf8/I')"
  if locale -a 2>/dev/null | grep -qix "$name"; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v localedef >/dev/null && [ -e "/usr/share/i18n/locales/${want%%.*}" ]; then
    log "generating the missing locale $want (localedef)"
    localedef -i "${want%%.*}" -f UTF-8 "$want"
  else
    log "locale $want is not installed: apt-get install locales && localedef -i ${want%%.*} -f UTF-8 $want"
    exit 1
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- build (optional) and checks ---------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  log "building the test binary (frontend embedded)"
  (cd "$REPO_DIR/ui" && npm run tauri -- build --debug --no-bundle)
  if [ -z "${REELCHAT_MOCK_RELAY:-}" ]; then
    log "building the mock relay"
    (cd "$REPO_DIR" && cargo build -p reelchat-mock-relay)
  fi
fi
if [ ! -x "$RELAY" ] && [ -z "${REELCHAT_MOCK_RELAY:-}" ]; then
  log "building the mock relay (missing at $RELAY)"
  (cd "$REPO_DIR" && cargo build -p reelchat-mock-relay)
fi
[ -x "$RELAY" ] || { log "no mock relay binary at $RELAY"; exit 1; }
if [ ! -x "$APP" ]; then
  log "no app binary at $APP"
  log "build it with: (cd ui && npm run tauri -- build --debug --no-bundle), or pass --build"
  exit 1
fi
[ -x "$TAURI_DRIVER" ] || { log "tauri-driver not found (cargo install tauri-driver --locked)"; exit 1; }
command -v WebKitWebDriver >/dev/null || { log "WebKitWebDriver not found (apt-get install webkit2gtk-driver)"; exit 1; }
command -v Xvfb >/dev/null || { log "Xvfb not found (apt-get install xvfb)"; exit 1; }
if [ ! -d "$E2E_DIR/node_modules/@wdio/cli" ]; then
  log "installing e2e dependencies (npm ci)"
  (cd "$E2E_DIR" && npm ci --no-audit --no-fund)
fi
ensure_locale "$E2E_LANG"
mkdir -p "$RUN_DIR" "$SCREENSHOT_DIR"
# Keep the logs and profiles of the last 5 runs only.
find "$E2E_DIR/logs" -mindepth 1 -maxdepth 1 -type d -name 'run-*' -printf '%T@ %p\n' 2>/dev/null |
  sort -rn | tail -n +6 | cut -d' ' -f2- | xargs -r rm -rf --
log "app: $APP (locale $E2E_LANG, demo tick ${DEMO_SPEED} ms)"
log "logs: $RUN_DIR"

# --- Xvfb on a free display --------------------------------------------------------------------
DISPLAY_NUM=99
while [ -e "/tmp/.X${DISPLAY_NUM}-lock" ] || [ -e "/tmp/.X11-unix/X${DISPLAY_NUM}" ]; do
  DISPLAY_NUM=$((DISPLAY_NUM + 1))
done
Xvfb ":$DISPLAY_NUM" -screen 0 1280x1024x24 -nolisten tcp >"$RUN_DIR/xvfb.log" 2>&1 &
XVFB_PID=$!
export DISPLAY=":$DISPLAY_NUM"
for _ in $(seq 1 100); do
  if xdpyinfo >/dev/null 2>&1; then break; fi
  kill -0 "$XVFB_PID" 2>/dev/null || { log "Xvfb failed:"; cat "$RUN_DIR/xvfb.log" >&2; exit 1; }
  sleep 0.1
done
xdpyinfo >/dev/null 2>&1 || { log "Xvfb did not come up on $DISPLAY"; exit 1; }
log "Xvfb on $DISPLAY (pid $XVFB_PID)"
# Never talk to a real session bus or Wayland compositor that happens to be around.
unset WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
# Never start in demo mode by itself (scripts/run sets this): the specs onboard through the UI.
unset REELCHAT_AUTO_DEMO
START_TIME=$SECONDS

# --- one tauri-driver + profile per spec -------------------------------------------------------
FAILED=0
FAILED_NAMES=()
for spec in "${SPECS[@]}"; do
  name="$(basename "$spec" .spec.mjs)"
  profile="$RUN_DIR/profile-$name"
  mkdir -p "$profile"/{data,config,cache,state,runtime}
  chmod 700 "$profile/runtime"

  port=4444
  while port_in_use "$port" || port_in_use $((port + 1)); do port=$((port + 2)); done

  # tauri-driver passes its environment on to WebKitWebDriver and so to the app: the XDG dirs
  # give the app (its store, WebKit's storage and caches) a fresh profile, whatever HOME is.
  env \
    XDG_DATA_HOME="$profile/data" \
    XDG_CONFIG_HOME="$profile/config" \
    XDG_CACHE_HOME="$profile/cache" \
    XDG_STATE_HOME="$profile/state" \
    XDG_RUNTIME_DIR="$profile/runtime" \
    LANG="$E2E_LANG" LC_ALL="$E2E_LANG" LANGUAGE="${E2E_LANG%%.*}" \
    REELCHAT_KEYRING=off \
    REELCHAT_DEMO_SPEED="$DEMO_SPEED" \
    REELCHAT_TEST_ALLOW_LOOPBACK_MEDIA=1 \
    REELCHAT_TEST_PICK_IMAGE="$profile/pick-image" \
    setsid "$TAURI_DRIVER" --port "$port" --native-port $((port + 1)) \
    >"$RUN_DIR/tauri-driver-$name.log" 2>&1 &
  DRIVER_PID=$!
  for _ in $(seq 1 100); do
    port_in_use "$port" && break
    kill -0 "$DRIVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if ! port_in_use "$port"; then
    log "tauri-driver did not start:"; cat "$RUN_DIR/tauri-driver-$name.log" >&2; exit 1
  fi
  log "spec $name: tauri-driver on $port (pid $DRIVER_PID), profile $profile"

  spec_start=$SECONDS
  set +e
  (cd "$E2E_DIR" && \
    REELCHAT_APP_BINARY="$APP" REELCHAT_MOCK_RELAY="$RELAY" TAURI_DRIVER_PORT="$port" \
    E2E_DRIVER_PID="$DRIVER_PID" E2E_PROFILE_DIR="$profile" \
    E2E_SCREENSHOT_DIR="$SCREENSHOT_DIR" E2E_LOG_DIR="$RUN_DIR/wdio-$name" \
    npx --no-install wdio run ./wdio.conf.mjs --spec "$spec")
  rc=$?
  set -e
  stop_driver
  if [ "$rc" -ne 0 ]; then
    FAILED=$((FAILED + 1))
    FAILED_NAMES+=("$name")
    log "spec $name FAILED (exit $rc, $((SECONDS - spec_start)) s); tauri-driver log: $RUN_DIR/tauri-driver-$name.log"
  else
    log "spec $name passed ($((SECONDS - spec_start)) s)"
  fi
done

PASSED=$((${#SPECS[@]} - FAILED))
echo "e2e: ${PASSED} passed, ${FAILED} failed ($((SECONDS - START_TIME)) s)${FAILED_NAMES:+: ${FAILED_NAMES[*]}}"
[ "$FAILED" -eq 0 ]
