# shellcheck shell=bash
# demo.sh's options: the defaults, --help, and parse_options, which checks them and makes the
# state folder.

usage() {
    cat <<'USAGE'
usage: scripts/demo.sh [OPTIONS]
  --build DIR          the build tree with the programs and build/test-pki (default: build/)
  --portal PROGRAM     cardbridge-portal (default: DIR/examples/portal/cardbridge-portal)
  --state DIR          what outlives a run: the portal's database, the audit log, the
                       Chromium profile, the logs (default: ~/.local/share/cardbridge/demo)
  --portal-port N      the portal's port on 127.0.0.1 (default 8080)
  --cards LIST         the virtual cards, comma-separated test-PKI names (default:
                       trade-legal-sm2,trade-operator-sm2,logistics-legal-sm2,trade-operator-sm2-expired)
  --inserted LIST      which of them start inserted (default: trade-legal-sm2; "" for none)
  --key-plugged        the virtual USB key (eport-key) starts plugged in (default: unplugged)
  --virtual-only       only the virtual cards: the demo's pcscd leaves USB readers alone
  --no-browser         do not open Chromium
  --timeout SECONDS    how long each part may take to become ready (default 20)
USAGE
}

build=$source_dir/build
portal=
state=
portal_port=8080
card_list=trade-legal-sm2,trade-operator-sm2,logistics-legal-sm2,trade-operator-sm2-expired
inserted_list=trade-legal-sm2
key_plugged=false
browser=true
usb=true
timeout=20

parse_options() {
    while (($#)); do
        case $1 in
            --build | --portal | --state | --portal-port | --cards | --inserted | --timeout)
                (($# >= 2)) || die "$1 needs a value (see --help)"
                case $1 in
                    --build) build=$2 ;;
                    --portal) portal=$2 ;;
                    --state) state=$2 ;;
                    --portal-port) portal_port=$2 ;;
                    --cards) card_list=$2 ;;
                    --inserted) inserted_list=$2 ;;
                    --timeout) timeout=$2 ;;
                esac
                shift 2
                ;;
            --key-plugged) key_plugged=true; shift ;;
            --no-browser) browser=false; shift ;;
            --virtual-only) usb=false; shift ;;
            -h | --help) usage; exit 0 ;;
            *) die "unexpected '$1' (see --help)" ;;
        esac
    done
    if ! [[ $portal_port =~ ^[1-9][0-9]{0,4}$ ]] || ((portal_port > 65535)); then
        die "--portal-port takes a TCP port (1-65535), not '$portal_port'"
    fi
    [[ $timeout =~ ^[1-9][0-9]{0,3}$ ]] || die "--timeout takes whole seconds, not '$timeout'"
    [[ -d $build ]] || die "no build tree at '$build' (scripts/run.sh builds one, or pass --build DIR)"
    build=$(realpath "$build")
    portal=${portal:-$build/examples/portal/cardbridge-portal}
    [[ -n $state ]] || state=$(default_state)
    # Private: the portal's accounts and the audit log live here.
    if [[ ! -d $state ]]; then
        mkdir -p "$(dirname "$state")"
        mkdir -m 0700 "$state"
    fi
    state=$(realpath "$state")
}
