# Sourced by Forkboard's pre-receive and post-receive hooks.
#
# forkboard_hook NAME runs the hook's logic. Under 'forkboard serve', git http-backend passes
# the server's loopback hook port and a secret (FORKBOARD_HOOK_PORT, FORKBOARD_HOOK_SECRET):
# the push (git's lines on stdin and the variables the logic needs) is then handed to the
# server, which has the hub open, over one connection made by bash itself (/dev/tcp), so a
# push starts no program of its own. Otherwise, or when the server does not answer, the
# same logic runs in 'forkboard hook NAME'. The server answers 200 (go on), 403 (refused),
# with the lines for the git client. Each variable is sent with its length in bytes, so that
# no value (a push option is the participant's text) can pass for another variable; a push
# with more options than the server reads runs 'forkboard hook'.
forkboard_hook() {
    local hook=$1 input="" body="" name status line length=0 answer="" i
    IFS= read -r -d '' input || true
    local count=${GIT_PUSH_OPTION_COUNT:-0} safe=yes
    [[ $count =~ ^[0-9]{1,2}$ && $count -le 64 ]] || safe=no
    local names=(REMOTE_USER REMOTE_ADDR GIT_OBJECT_DIRECTORY GIT_QUARANTINE_PATH GIT_SHALLOW_FILE FORKBOARD_BASE_URL GIT_PUSH_OPTION_COUNT)
    for ((i = 0; i < count; i++)); do names+=("GIT_PUSH_OPTION_$i"); done
    if [ $safe = yes ] && [ -n "${FORKBOARD_HOOK_PORT:-}" ] && [ -n "${FORKBOARD_HOOK_SECRET:-}" ] \
        && { exec 3<>"/dev/tcp/127.0.0.1/$FORKBOARD_HOOK_PORT"; } 2>/dev/null; then
        local LC_ALL=C value directory
        cd -P . && directory=$PWD
        for name in "${names[@]}"; do
            value=${!name:-}
            body+="$name=${#value}:$value"$'\n'
        done
        body+="GIT_DIR=${#directory}:$directory"$'\n\n'"$input"
        printf 'POST /hooks/%s HTTP/1.1\r\nHost: forkboard\r\nAuthorization: Bearer %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
            "$hook" "$FORKBOARD_HOOK_SECRET" "${#body}" "$body" >&3 2>/dev/null
        if IFS= read -r status <&3; then
            status=${status#* }
            status=${status%% *}
            while IFS= read -r line <&3; do
                line=${line%$'\r'}
                [ -z "$line" ] && break
                case ${line,,} in content-length:*) length=${line#*:}; length=${length// /} ;; esac
            done
            if [ "${length:-0}" -gt 0 ]; then IFS= read -r -N "$length" answer <&3; fi
            exec 3<&-
            case $status in
                200) printf '%s' "$answer" >&2; return 0 ;;
                403) printf '%s' "$answer" >&2; return 1 ;;
            esac
        fi
        exec 3<&- 2>/dev/null
    fi
    printf '%s' "$input" | "${FORKBOARD_EXECUTABLE:-forkboard}" hook "$hook"
}
