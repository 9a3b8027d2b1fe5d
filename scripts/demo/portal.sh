# shellcheck shell=bash
# The reference portal (examples/portal): started, and ready once it answers GET /.

portal_url=
# http_ok PORT PATH: whether GET PATH on 127.0.0.1:PORT answers 200. A subshell, because a
# failed /dev/tcp redirection of exec may end the shell that runs it.
http_ok() {
    (
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$2" "$1" >&3
        read -r -t 2 _ status _ <&3 || exit 1
        [[ $status == 200 ]]
    ) 2>/dev/null
}

start_portal() {
    portal_url=http://127.0.0.1:$portal_port
    spawn portal "$logs/portal.log" "$portal" --listen "127.0.0.1:$portal_port" --origin "$portal_url" \
        --ca "$pki/ca/bundle.pem" --db "$state/portal.db"
    until_true "$timeout" "the portal's ready line" grep -q '^cardbridge-portal: serving ' "$logs/portal.log"
    http_ok "$portal_port" / || die "the portal does not answer GET $portal_url/ with 200 (log: $logs/portal.log)"
}
