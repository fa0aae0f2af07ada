#!/bin/sh
# demo-oss.sh: the `make demo-oss` walkthrough. It serves a copy of
# testdata/demo from osslocal as bucket "demo", scans oss://demo/ with
# piiscan through the official OSS Go SDK, writes the findings dataset to
# oss://results/piiscan, prints the summary and lists the uploaded objects,
# then stops osslocal.
#
# Environment: BIN (default bin), ROOT (the folder osslocal serves, default
# piiscan-demo-oss; recreated), HMAC (fingerprint key of the demo).
set -eu

BIN=${BIN:-bin}
ROOT=${ROOT:-piiscan-demo-oss}
HMAC=${HMAC:-piiscan-demo-key}

# Fixed demo credentials, accepted only by this osslocal: the demo never
# uses (or sends) a real key pair that may be in the caller's environment.
OSS_ACCESS_KEY_ID=LTAI5tPiiscanDemoKey
OSS_ACCESS_KEY_SECRET=piiscan-demo-secret
export OSS_ACCESS_KEY_ID OSS_ACCESS_KEY_SECRET
unset OSS_SESSION_TOKEN || true

rm -rf "$ROOT"
mkdir -p "$ROOT/demo" "$ROOT/results"
cp -R testdata/demo/. "$ROOT/demo/"
log="$ROOT/.osslocal.log"

# Port 0: the kernel picks a free port; osslocal logs the URL it serves.
"$BIN/osslocal" --root "$ROOT" --addr 127.0.0.1:0 --log-format json 2>"$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT INT TERM

url=""
i=0
while [ -z "$url" ] && [ "$i" -lt 100 ]; do
	url=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$log" | head -n 1)
	[ -n "$url" ] || { i=$((i + 1)); sleep 0.1; }
done
if [ -z "$url" ]; then
	echo "osslocal did not start:" >&2
	cat "$log" >&2
	exit 1
fi
echo "osslocal serves $ROOT at $url (buckets: demo, results)"
echo "\$ piiscan scan oss://demo/ --endpoint $url --out oss://results/piiscan"
echo

code=0
PIISCAN_HMAC_KEY=$HMAC "$BIN/piiscan" scan oss://demo/ --endpoint "$url" --out oss://results/piiscan \
	--as-of 2026-11-23 --log-level warn || code=$?

echo
echo "Objects uploaded to oss://results/ (stored by osslocal under $ROOT/results/):"
find "$ROOT/results" -type f | sort | while read -r f; do
	printf '%10d  oss://results/%s\n' "$(wc -c <"$f")" "${f#"$ROOT"/results/}"
done
echo
echo "piiscan exit code $code. To look around, serve the folder again with the demo key pair"
echo "of deploy/demo-oss.sh: $BIN/osslocal --root $ROOT"
[ "$code" -le 1 ]
