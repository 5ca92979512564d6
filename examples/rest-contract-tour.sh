#!/usr/bin/env bash
# A tour of the REST contract against a running gateway, one request per point:
#   pnpm mocks & pnpm gateway --config examples/gateway.mocks.yaml &   then   bash examples/rest-contract-tour.sh
set -u
BASE=${BASE:-http://127.0.0.1:8787}
KEY=${KEY:-sk-sy-demo-key-change-me}
show() { printf '\n== %s\n' "$1"; }
post() { curl -s -D /tmp/sy-headers -o /tmp/sy-body -H "authorization: Bearer $KEY" -H 'content-type: application/json' "$@" "$BASE/v1/chat/completions"; head -1 /tmp/sy-headers; grep -iE '^(x-switchyard|x-request-id|retry-after|content-type)' /tmp/sy-headers; head -c 400 /tmp/sy-body; echo; }

show 'POST /v1/chat/completions (JSON)'
post -H 'x-request-id: tour-1' -d '{"model":"chat","messages":[{"role":"user","content":"Hello"}]}'
show 'POST /v1/chat/completions (SSE with include_usage): last frames'
curl -sN -H "authorization: Bearer $KEY" -H 'content-type: application/json' -d '{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hello stream"}]}' "$BASE/v1/chat/completions" | tail -4
show 'tools'
post -d '{"model":"chat","messages":[{"role":"user","content":"weather? use get_weather"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}'
show 'x-switchyard-provider pins a provider; the cache answers the second identical request'
post -H 'x-switchyard-provider: gemini' -d '{"model":"cheapest","messages":[{"role":"user","content":"cache me"}]}'
post -H 'x-switchyard-provider: gemini' -d '{"model":"cheapest","messages":[{"role":"user","content":"cache me"}]}'
show 'GET /v1/models'
curl -s -H "authorization: Bearer $KEY" "$BASE/v1/models"; echo
show 'GET /health'
curl -s "$BASE/health"; echo
show 'GET /health/providers (monitoring: an API key or the monitoring token)'
curl -s -H "authorization: Bearer $KEY" "$BASE/health/providers"; echo
show 'GET /metrics (first lines of switchyard_requests_total)'
curl -s -H "authorization: Bearer $KEY" "$BASE/metrics" | grep '^switchyard_requests_total' | head -3
show '400 invalid request, naming the field'
post -d '{"model":"chat","messages":[{"role":"user","content":"x"}],"temperature":7}'
show '401 bad key'
KEY=sk-sy-wrong post -d '{"model":"chat","messages":[{"role":"user","content":"x"}]}'
show '404 unknown model (providers with a models list only offer those; one without a list takes any name)'
post -H 'x-switchyard-provider: openai' -d '{"model":"no-such-model","messages":[{"role":"user","content":"x"}]}'
show '413 body too large'
head -c 5000000 /dev/zero | tr '\0' 'a' | sed 's/^/{"model":"chat","messages":[{"role":"user","content":"/; s/$/"}]}/' > /tmp/sy-big.json
post --data-binary @/tmp/sy-big.json
