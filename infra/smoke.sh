#!/usr/bin/env bash
# Tocsin smoke test: invokes every function once with its events/ sample and checks each answer.
#
#   infra/smoke.sh --local [URL]     the local run (README "Two commands"), default URL http://localhost:8080:
#                                    POST URL/<function> with the direct-invocation JSON, GET URL/dashboard
#   infra/smoke.sh --stack NAME      a deployed stack: each Lambda through `aws lambda invoke` (alias "live"), the
#                                    function names and URLs read from the stack with `aws cloudformation`; the HTTP
#                                    API through SigV4-signed curl (curl --aws-sigv4, curl >= 7.75)
#
# Everything it creates is a test and is closed at the end: alerts come from source "tocsin-smoke" (Alertmanager's
# as "alertmanager:tocsin-smoke", Grafana's as "grafana:tocsin-smoke", the CloudWatch alarm's as
# "cloudwatch:tocsin-smoke-<run>"), severity low, titles starting "[tocsin-smoke]"; each incident is acknowledged
# and/or resolved with notes naming the run, and an exit trap resolves any left open. The maintenance window it creates
# matches only the source "tocsin-smoke-none" and is deleted; the webhook token "tocsin-smoke-<run>" (Grafana route,
# sources "grafana:tocsin-smoke" only) is revoked; the heartbeat "tocsin-smoke-<run>" is deleted (the exit trap
# revokes and deletes them if a check failed first). With PagerDuty on, the test alerts reach PagerDuty as
# info-severity alerts and are resolved seconds later.
#
# Prints one line per check ("PASS …" / "FAIL …") and then "N passed, N failed"; exits 1 when a check failed, 2 on
# bad usage. Needs bash (3.2 or later), curl and node (Node.js is needed to build Tocsin anyway; it reads the JSON);
# --stack also needs the AWS CLI v2 with credentials for the stack's account and region (AWS_PROFILE, AWS_REGION).
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
EVENTS="$ROOT/events"
MODE=""
URL="http://localhost:8080"
STACK=""

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --local)
      MODE=local
      if [ $# -gt 1 ] && [ "${2#--}" = "$2" ]; then URL="${2%/}"; shift; fi
      ;;
    --stack)
      MODE=stack
      [ $# -gt 1 ] || usage
      STACK="$2"; shift
      ;;
    -h|--help) usage ;;
    *) echo "unknown argument: $1" >&2; usage ;;
  esac
  shift
done
[ -n "$MODE" ] || usage
for tool in curl node; do
  command -v "$tool" >/dev/null 2>&1 || { echo "smoke.sh needs $tool on the PATH" >&2; exit 2; }
done
if [ "$MODE" = stack ]; then
  command -v aws >/dev/null 2>&1 || { echo "smoke.sh --stack needs the AWS CLI (aws) on the PATH" >&2; exit 2; }
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tocsin-smoke.XXXXXX")"
PASSED=0
FAILED=0
CREATED=""   # incident ids this run opened, closed by the exit trap if a check left them open
RUN="$(node -e 'process.stdout.write(Date.now().toString(36) + Math.random().toString(36).slice(2, 8))')"
export RUN

# ----------------------------------------------------------------------------------------------------------------
# JSON, through node (no jq needed)
# ----------------------------------------------------------------------------------------------------------------

# js EXPR: evaluates the JavaScript expression EXPR with o = the JSON read on stdin and env = the environment;
# prints a string as it is, anything else as JSON, nothing for null/undefined. Exit 3 when stdin is not JSON.
js() {
  node -e '
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", c => text += c).on("end", () => {
      let o;
      try { o = JSON.parse(text); } catch (e) { process.exit(3); }
      let r;
      try { r = Function("o", "env", "return (" + process.argv[1] + ");")(o, process.env); } catch (e) { r = undefined; }
      if (r !== undefined && r !== null) process.stdout.write(typeof r === "string" ? r : JSON.stringify(r));
    });' "$1"
}

# body NAME FILE STATEMENTS: writes $WORK/NAME.json = the JSON of FILE changed by the JavaScript STATEMENTS (on o).
body() {
  node -e '
    const fs = require("fs");
    const o = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
    Function("o", "env", process.argv[3])(o, process.env);
    fs.writeFileSync(process.argv[1], JSON.stringify(o));' "$WORK/$1.json" "$2" "$3"
  echo "$WORK/$1.json"
}

# iso MINUTES: the UTC instant MINUTES from now, ISO-8601
iso() {
  node -e 'process.stdout.write(new Date(Date.now() + Number(process.argv[1]) * 60000).toISOString())' "$1"
}

# ----------------------------------------------------------------------------------------------------------------
# Reporting
# ----------------------------------------------------------------------------------------------------------------

pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $1"; }

# expect NAME EXPR DESCRIPTION: PASS when EXPR (JavaScript on the last answer, o) is true (returns 1 on a FAIL)
expect() {
  if [ "$(printf '%s' "$ANSWER" | js "$2")" = "true" ]; then
    pass "$1: $3"
  else
    fail "$1: expected $3; got $(printf '%s' "$ANSWER" | head -c 400)"
    return 1
  fi
}

# ----------------------------------------------------------------------------------------------------------------
# Transports: invoke FUNCTION BODY_FILE sets ANSWER to the function's JSON answer (returns 1 on a transport error)
# ----------------------------------------------------------------------------------------------------------------

# The template's Lambda of each function (template.yaml, QUARKUS_FUNQY_EXPORT): DeployDocsTest keeps this list right.
logical_id() {
  case "$1" in
    ingest) echo IngestFunction ;;
    acknowledge) echo AcknowledgeFunction ;;
    resolve) echo ResolveFunction ;;
    incident) echo IncidentFunction ;;
    incidents) echo IncidentsFunction ;;
    pagerduty-webhook) echo PagerDutyWebhookFunction ;;
    escalation-sweep) echo EscalationSweepFunction ;;
    alertmanager) echo AlertmanagerFunction ;;
    grafana) echo GrafanaFunction ;;
    tokens) echo TokensFunction ;;
    rules) echo RulesFunction ;;
    evaluate) echo EvaluateFunction ;;
    maintenance) echo MaintenanceFunction ;;
    metrics) echo MetricsFunction ;;
    dashboard) echo DashboardFunction ;;
    daily-summary) echo DailySummaryFunction ;;
    heartbeat) echo HeartbeatFunction ;;
    oncall) echo OnCallFunction ;;
    oncall-feed) echo OnCallFeedFunction ;;
    *) return 1 ;;
  esac
}

invoke() {
  local fn="$1" file="$2" out="$WORK/answer.json" status
  ANSWER=""
  if [ "$MODE" = local ]; then
    status="$(curl -sS --max-time 120 -o "$out" -w '%{http_code}' -X POST "$URL/$fn" \
      -H 'content-type: application/json' --data-binary "@$file" 2>"$WORK/curl.err")" || {
      ANSWER="$(cat "$WORK/curl.err")"; return 1; }
    ANSWER="$(cat "$out")"
    [ "$status" = 200 ] || { ANSWER="HTTP $status: $ANSWER"; return 1; }
  else
    local name error
    name="$(printf '%s\n' "$FUNCTIONS" | awk -v id="$(logical_id "$fn")" '$1 == id { print $2 }')"
    [ -n "$name" ] || { ANSWER="no Lambda $(logical_id "$fn") in stack $STACK"; return 1; }
    error="$(aws lambda invoke --function-name "$name" --qualifier live --payload "fileb://$file" \
      --cli-read-timeout 150 --query FunctionError --output text "$out" 2>"$WORK/aws.err")" || {
      ANSWER="$(cat "$WORK/aws.err")"; return 1; }
    ANSWER="$(cat "$out")"
    [ "$error" = None ] || [ -z "$error" ] || { ANSWER="FunctionError $error: $ANSWER"; return 1; }
  fi
  return 0
}

# call NAME FUNCTION BODY_FILE: invoke, FAIL the check NAME on a transport error (returns 1 then)
call() {
  if invoke "$2" "$3"; then return 0; fi
  fail "$1: $2 did not answer: $(printf '%s' "$ANSWER" | head -c 400)"
  return 1
}

# http NAME METHOD URL [BODY_FILE]: an HTTP request (SigV4-signed in --stack mode unless SIGN=no; with
# HOOK_TOKEN=<webhook token>, unsigned, with "Authorization: Bearer <token>"); sets HTTP_STATUS and ANSWER (the body)
http() {
  local out="$WORK/http.out"
  local args=(-sS --max-time 60 -o "$out" -w '%{http_code}' -X "$2" "$3")
  [ $# -lt 4 ] || args+=(-H 'content-type: application/json' --data-binary "@$4")
  local result
  if [ -n "${HOOK_TOKEN:-}" ]; then
    # the token through curl's config on stdin, never on the command line
    result="$(printf 'header = "authorization: Bearer %s"\n' "$HOOK_TOKEN" \
      | curl -K - "${args[@]}" 2>"$WORK/curl.err")"
  elif [ "$MODE" = stack ] && [ "${SIGN:-yes}" = yes ]; then
    # credentials through curl's config on stdin, never on the command line
    result="$({
      printf 'user = "%s:%s"\n' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY"
      [ -z "${AWS_SESSION_TOKEN:-}" ] || printf 'header = "x-amz-security-token: %s"\n' "$AWS_SESSION_TOKEN"
    } | curl -K - --aws-sigv4 "aws:amz:$REGION:execute-api" "${args[@]}" 2>"$WORK/curl.err")"
  else
    result="$(curl "${args[@]}" 2>"$WORK/curl.err")"
  fi || { HTTP_STATUS=000; ANSWER="$(cat "$WORK/curl.err")"; return 1; }
  HTTP_STATUS="$result"
  ANSWER="$(cat "$out")"
}

# ----------------------------------------------------------------------------------------------------------------
# Clean-up: resolve whatever this run opened and left open; remove the scratch folder
# ----------------------------------------------------------------------------------------------------------------

resolve_notes="tocsin-smoke run $RUN: test incident, closed by infra/smoke.sh"
export resolve_notes

TOKEN_ID=""      # the webhook token this run made, revoked by the exit trap if a check left it active
HEARTBEAT=""     # the heartbeat this run made, deleted by the exit trap if a check left it
export TOKEN_ID HEARTBEAT

cleanup() {
  local id left=0
  if [ -n "$TOKEN_ID" ] && invoke tokens "$(body "cleanup-token" "$EVENTS/tokens/create.json" \
    'for (const k of Object.keys(o)) delete o[k]; o.action = "revoke"; o.id = env.TOKEN_ID; o.revoked_by = "tocsin-smoke"')" \
    && [ "$(printf '%s' "$ANSWER" | js 'o.revoked')" = true ]; then
    echo "(cleanup: revoked the test webhook token $TOKEN_ID)"
  fi
  if [ -n "$HEARTBEAT" ] && invoke heartbeat "$(body "cleanup-heartbeat" "$EVENTS/heartbeat/create-direct.json" \
    'for (const k of Object.keys(o)) delete o[k]; o.action = "delete"; o.name = env.HEARTBEAT')" \
    && [ "$(printf '%s' "$ANSWER" | js 'o.deleted')" = true ]; then
    echo "(cleanup: deleted the test heartbeat $HEARTBEAT)"
  fi
  for id in $CREATED; do
    export ID="$id"
    if invoke incident "$(body "cleanup-get" "$EVENTS/incident/direct.json" 'o.incident_id = env.ID')" \
      && [ "$(printf '%s' "$ANSWER" | js 'o.status')" != resolved ] \
      && [ "$(printf '%s' "$ANSWER" | js 'o.status')" != "" ]; then
      invoke resolve "$(body "cleanup-resolve" "$EVENTS/resolve/direct.json" \
        'o.incident_id = env.ID; o.resolution_notes = env.resolve_notes; o.resolved_by = "tocsin-smoke"')" \
        && left=$((left + 1))
    fi
  done
  [ "$left" = 0 ] || echo "(cleanup: resolved $left test incident(s) a failed check had left open)"
  rm -rf "$WORK"
}
trap cleanup EXIT

# ----------------------------------------------------------------------------------------------------------------
# Where to talk to
# ----------------------------------------------------------------------------------------------------------------

if [ "$MODE" = stack ]; then
  output() {
    aws cloudformation describe-stacks --stack-name "$STACK" \
      --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue | [0]" --output text
  }
  API="$(output ApiEndpoint)" || { echo "cannot read stack $STACK (aws cloudformation describe-stacks)" >&2; exit 2; }
  WEBHOOK_URL="$(output PagerDutyWebhookUrl)"
  HOOKS_GRAFANA_URL="$(output GrafanaWebhookUrl)"
  FUNCTIONS="$(aws cloudformation describe-stack-resources --stack-name "$STACK" \
    --query "StackResources[?ResourceType=='AWS::Lambda::Function'].[LogicalResourceId,PhysicalResourceId]" \
    --output text)" || { echo "cannot list the functions of stack $STACK" >&2; exit 2; }
  REGION="$(printf '%s' "$API" | sed -n 's#^https://[^.]*\.execute-api\.\([^.]*\)\..*#\1#p')"
  [ -n "$REGION" ] || REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region 2>/dev/null)}}"
  if [ -z "${AWS_ACCESS_KEY_ID:-}" ]; then
    eval "$(aws configure export-credentials --format env 2>/dev/null)" || true
  fi
  echo "stack $STACK: API $API (region $REGION), $(printf '%s\n' "$FUNCTIONS" | grep -c .) functions; run $RUN"
else
  HOOKS_GRAFANA_URL="$URL/hooks/grafana"
  echo "local run at $URL; run $RUN"
fi

# ----------------------------------------------------------------------------------------------------------------
# The checks
# ----------------------------------------------------------------------------------------------------------------

# rules: the catalogue
if call rules rules "$EVENTS/rules/direct.json"; then
  expect rules 'Array.isArray(o.rules) && o.rules.some(r => r.name === "disk_usage_high")' "the rule catalogue"
fi

# ingest: a test alert, then the same again (a duplicate)
ALERT="$(body alert "$EVENTS/ingest/direct.json" '
  o.severity = "low"; o.source = "tocsin-smoke"; o.title = "[tocsin-smoke] " + o.title;
  o.description = "Smoke test run " + env.RUN + " (infra/smoke.sh); closed automatically.";
  o.metadata = Object.assign(o.metadata || {}, { smoke_run: env.RUN }); o.dedup_key = "tocsin-smoke/" + env.RUN')"
ID=""
if call ingest ingest "$ALERT"; then
  expect ingest 'o.status === "created" && typeof o.incident_id === "string"' "an alert created"
  ID="$(printf '%s' "$ANSWER" | js 'o.incident_id')"
  CREATED="$CREATED $ID"
  if call ingest-duplicate ingest "$ALERT"; then
    export ID
    expect ingest-duplicate 'o.status === "suppressed" && o.reason === "duplicate" && o.incident_id === env.ID' \
      "the same alert again suppressed as a duplicate of it"
  fi
fi
export ID

if [ -n "$ID" ]; then
  # incident: found
  if call incident incident "$(body incident "$EVENTS/incident/direct.json" 'o.incident_id = env.ID')"; then
    expect incident 'o.incident_id === env.ID && o.status === "triggered" && o.source === "tocsin-smoke"' \
      "the alert's incident found, triggered"
  fi
  # incidents: listed
  if call incidents incidents "$(body incidents "$EVENTS/incidents/direct.json" \
    'o.source = "tocsin-smoke"; o.status = "triggered"; delete o.severity; o.limit = 100')"; then
    expect incidents 'Array.isArray(o.incidents) && o.incidents.some(i => i.incident_id === env.ID)' \
      "the incident in the history of source tocsin-smoke"
  fi
  # acknowledge
  if call acknowledge acknowledge "$(body acknowledge "$EVENTS/acknowledge/direct.json" \
    'o.incident_id = env.ID; o.acknowledged_by = "tocsin-smoke"')"; then
    expect acknowledge 'o.acknowledged === true' "acknowledged"
  fi
  # resolve, with notes
  if call resolve resolve "$(body resolve "$EVENTS/resolve/direct.json" \
    'o.incident_id = env.ID; o.resolution_notes = env.resolve_notes; o.resolved_by = "tocsin-smoke"')"; then
    expect resolve 'o.resolved === true' "resolved"
    if call resolve-read incident "$WORK/incident.json"; then
      expect resolve-read 'o.status === "resolved" && o.resolution_notes === env.resolve_notes' \
        "the incident reads back resolved, with its notes"
    fi
  fi
else
  fail "incident, incidents, acknowledge, resolve: skipped, no incident was created"
fi

# evaluate: samples that break no rule (nothing raised, nothing paged)
if call evaluate evaluate "$(body evaluate "$EVENTS/evaluate/direct.json" '
  o.source = "tocsin-smoke"; o.error_rate = 0.0001; o.api_p99_ms = 10; o.disk_usage = 0.1; o.memory_usage = 0.1')"; then
  expect evaluate 'Array.isArray(o.fired) && o.fired.length === 0 && o.evaluated === 4' \
    "4 samples evaluated, none above its threshold"
fi

# alertmanager: a firing test alert, then its resolution
AM_FIRING="$(body alertmanager-firing "$EVENTS/alertmanager/firing.json" '
  for (const labels of [o.commonLabels, ...o.alerts.map(a => a.labels)]) {
    labels.alertname = "TocsinSmoke"; labels.job = "tocsin-smoke"; labels.severity = "info"; }
  o.groupLabels = { alertname: "TocsinSmoke" }; o.groupKey = "{}:{alertname=\"TocsinSmoke\"}";
  o.alerts.forEach(a => { a.fingerprint = "smoke" + env.RUN; a.annotations.summary = "[tocsin-smoke] run " + env.RUN; })')"
if call alertmanager alertmanager "$AM_FIRING"; then
  expect alertmanager 'o.alerts.length === 1 && o.alerts[0].status === "created"' "a firing alert raised"
  AM_ID="$(printf '%s' "$ANSWER" | js 'o.alerts[0].incident_id')"
  CREATED="$CREATED $AM_ID"
  if call alertmanager-resolved alertmanager "$(body alertmanager-resolved "$AM_FIRING" '
    o.status = "resolved"; o.alerts.forEach(a => { a.status = "resolved"; a.endsAt = new Date().toISOString(); })')"; then
    expect alertmanager-resolved 'o.alerts.length === 1 && o.alerts[0].status === "resolved"' "its resolution applied"
  fi
fi

# ingest of a CloudWatch alarm (the alarm action's event): ALARM raises, OK resolves
CW_ALARM="$(body cloudwatch-alarm "$EVENTS/ingest/cloudwatch-metric-alarm-alarm.json" '
  const name = "tocsin-smoke-" + env.RUN; o.alarmArn = o.alarmArn.replace(/alarm:.*$/, "alarm:" + name);
  o.alarmData.alarmName = name; o.time = new Date().toISOString().replace("Z", "+0000");
  o.alarmData.configuration.description = "Smoke test alarm. tocsin:severity=low"')"
export CW_ALARM
if call cloudwatch-alarm ingest "$CW_ALARM"; then
  expect cloudwatch-alarm 'o.status === "created"' "a CloudWatch alarm in ALARM raised"
  CREATED="$CREATED $(printf '%s' "$ANSWER" | js 'o.incident_id')"
  if call cloudwatch-ok ingest "$(body cloudwatch-ok "$EVENTS/ingest/cloudwatch-metric-alarm-ok.json" '
    const alarm = JSON.parse(require("fs").readFileSync(env.CW_ALARM, "utf8"));
    o.alarmArn = alarm.alarmArn; o.alarmData.alarmName = alarm.alarmData.alarmName;
    o.time = new Date().toISOString().replace("Z", "+0000")')"; then
    expect cloudwatch-ok 'o.status === "resolved"' "its return to OK resolved it"
  fi
fi

# maintenance: create a window that matches nothing real, list it, delete it
START="$(iso 0)" END="$(iso 10)"
export START END
if call maintenance maintenance "$(body maintenance "$EVENTS/maintenance/create.json" '
  o.start = env.START; o.end = env.END; o.reason = "tocsin-smoke run " + env.RUN; o.created_by = "tocsin-smoke";
  o.sources = ["tocsin-smoke-none"]; delete o.severities')"; then
  expect maintenance 'o.created === true && typeof o.id === "string"' "a window created"
  WINDOW="$(printf '%s' "$ANSWER" | js 'o.id')"
  export WINDOW
  if call maintenance-list maintenance "$(body maintenance-list "$EVENTS/rules/direct.json" 'o.action = "list"')"; then
    expect maintenance-list 'o.windows.some(w => w.id === env.WINDOW)' "the window listed"
  fi
  if call maintenance-delete maintenance "$(body maintenance-delete "$EVENTS/rules/direct.json" \
    'o.action = "delete"; o.id = env.WINDOW')"; then
    expect maintenance-delete 'o.deleted === true' "the window deleted"
  fi
fi

# tokens: a webhook token for the Grafana route, confined to the test source; listed without its secret
if call tokens tokens "$(body tokens "$EVENTS/tokens/create.json" '
  o.name = "tocsin-smoke-" + env.RUN; o.routes = ["grafana"]; o.source_prefix = "grafana:tocsin-smoke";
  o.created_by = "tocsin-smoke"')"; then
  expect tokens 'o.created === true && /^tcn_/.test(o.token) && o.routes.join() === "grafana"' \
    "a webhook token for the grafana route created (its secret shown once)"
  TOKEN_ID="$(printf '%s' "$ANSWER" | js 'o.id')"
  TOKEN="$(printf '%s' "$ANSWER" | js 'o.token')"
  export TOKEN_ID
  if call tokens-list tokens "$(body tokens-list "$EVENTS/tokens/create.json" \
    'for (const k of Object.keys(o)) delete o[k]; o.action = "list"')"; then
    expect tokens-list 'o.tokens.some(t => t.id === env.TOKEN_ID && t.status === "active") && !JSON.stringify(o).includes("tcn_")' \
      "the token listed, active, without its secret"
  fi
fi

# grafana: a firing test alert, then its resolution; in --local through the token route POST /hooks/grafana with the
# token (as Grafana's contact point sends it), in --stack by direct invocation (IAM: no token, and no HMAC signature
# that the stack's GrafanaWebhookSecretName may require and this script cannot make)
GF_FIRING="$(body grafana-firing "$EVENTS/grafana/firing.json" '
  for (const labels of [o.commonLabels, ...o.alerts.map(a => a.labels)]) {
    labels.alertname = "TocsinSmoke"; labels.job = "tocsin-smoke"; labels.severity = "info";
    labels.grafana_folder = "tocsin-smoke"; delete labels.team; }
  o.groupLabels = { alertname: "TocsinSmoke", grafana_folder: "tocsin-smoke" };
  o.groupKey = "{}:{alertname=\"TocsinSmoke\"}"; o.title = "[FIRING:1] TocsinSmoke (tocsin-smoke run " + env.RUN + ")";
  o.commonAnnotations = { summary: "[tocsin-smoke] run " + env.RUN };
  o.alerts.forEach(a => { a.fingerprint = "smoke" + env.RUN; a.startsAt = new Date().toISOString();
    a.annotations = { summary: "[tocsin-smoke] run " + env.RUN,
      description: "Smoke test run " + env.RUN + " (infra/smoke.sh); closed automatically." }; })')"
GF_RESOLVED="$(body grafana-resolved "$GF_FIRING" '
  o.status = "resolved"; o.state = "ok"; o.title = o.title.replace("[FIRING:1]", "[RESOLVED]");
  o.alerts.forEach(a => { a.status = "resolved"; a.endsAt = new Date().toISOString(); })')"
# grafana_send NAME FILE: the payload to the grafana function; sets ANSWER (returns 1 on an error)
grafana_send() {
  if [ "$MODE" = local ]; then
    HOOK_TOKEN="${TOKEN:-}" http "$1" POST "$HOOKS_GRAFANA_URL" "$2" && [ "$HTTP_STATUS" = 200 ] && return 0
    fail "$1: POST /hooks/grafana with the token answered HTTP $HTTP_STATUS $(printf '%s' "$ANSWER" | head -c 300)"
    return 1
  fi
  call "$1" grafana "$2"
}
if [ -n "${TOKEN:-}" ] || [ "$MODE" = stack ]; then
  if grafana_send grafana "$GF_FIRING"; then
    expect grafana 'o.alerts.length === 1 && o.alerts[0].status === "created"' "a firing Grafana alert raised"
    CREATED="$CREATED $(printf '%s' "$ANSWER" | js 'o.alerts[0].incident_id')"
    if grafana_send grafana-resolved "$GF_RESOLVED"; then
      expect grafana-resolved 'o.alerts.length === 1 && o.alerts[0].status === "resolved"' "its resolution applied"
    fi
  fi
else
  fail "grafana: skipped, no webhook token was created"
fi

# tokens-revoke: the token revoked, then refused on the token route at its next call
if [ -n "$TOKEN_ID" ]; then
  if call tokens-revoke tokens "$(body tokens-revoke "$EVENTS/tokens/create.json" '
    for (const k of Object.keys(o)) delete o[k]; o.action = "revoke"; o.id = env.TOKEN_ID; o.revoked_by = "tocsin-smoke"')"; then
    expect tokens-revoke 'o.revoked === true && o.status === "revoked"' "the token revoked" && TOKEN_ID=""
  fi
  HOOK_TOKEN="$TOKEN" http hooks-revoked POST "$HOOKS_GRAFANA_URL" "$GF_FIRING"
  if [ "$HTTP_STATUS" = 401 ]; then
    pass "hooks-revoked: the revoked token refused on POST /hooks/grafana (401)"
  else
    fail "hooks-revoked: expected HTTP 401 for the revoked token; got HTTP $HTTP_STATUS $(printf '%s' "$ANSWER" | head -c 300)"
  fi
fi

# heartbeat: created (a day's interval: it cannot come due during the run), pinged, listed, deleted
HEARTBEAT="tocsin-smoke-$RUN"
export HEARTBEAT
if call heartbeat heartbeat "$(body heartbeat "$EVENTS/heartbeat/create-direct.json" '
  o.name = env.HEARTBEAT; o.interval = "1d"; o.grace = "1h"; o.severity = "low"')"; then
  expect heartbeat 'o.created === true && o.name === env.HEARTBEAT && o.state === "waiting"' "a heartbeat created"
  if call heartbeat-ping heartbeat "$(body heartbeat-ping "$EVENTS/heartbeat/create-direct.json" \
    'for (const k of Object.keys(o)) delete o[k]; o.name = env.HEARTBEAT')"; then
    expect heartbeat-ping 'o.pinged === true && o.pings === 1 && o.state === "waiting"' "pinged"
  fi
  if call heartbeat-list heartbeat "$(body heartbeat-list "$EVENTS/heartbeat/create-direct.json" \
    'for (const k of Object.keys(o)) delete o[k]; o.action = "list"')"; then
    expect heartbeat-list 'o.heartbeats.some(h => h.name === env.HEARTBEAT && h.pings === 1 && h.last_ping)' \
      "listed with its ping"
  fi
  if call heartbeat-delete heartbeat "$(body heartbeat-delete "$EVENTS/heartbeat/create-direct.json" \
    'for (const k of Object.keys(o)) delete o[k]; o.action = "delete"; o.name = env.HEARTBEAT')"; then
    expect heartbeat-delete 'o.deleted === true' "deleted" && HEARTBEAT=""
  fi
fi

# oncall: the sample on-call document applied as a dry run (validated and planned, nothing written)
if call oncall oncall "$(body oncall "$EVENTS/oncall/apply-dry-run.json" '')"; then
  expect oncall 'o.dry_run === true && o.changed === false && Array.isArray(o.changes) && typeof o.summary === "string"' \
    "a dry run plans without writing"
fi

# oncall-feed: an unknown calendar feed URL answers 404 (the same answer as a wrong or revoked secret)
if call oncall-feed oncall-feed "$EVENTS/oncall-feed/unknown-feed-api-gateway-http.json"; then
  expect oncall-feed 'o.statusCode === 404' "an unknown feed is not found"
fi

# metrics: the last 24 hours (this run's incidents among them)
if call metrics metrics "$(body metrics "$EVENTS/metrics/direct.json" 'delete o.from; delete o.to')"; then
  expect metrics 'typeof o.total_incidents === "number" && o.total_incidents >= 1' "figures of the last 24 hours"
fi

# escalation-sweep: its scheduled event
if call escalation-sweep escalation-sweep "$EVENTS/escalation-sweep/scheduled-event.json"; then
  expect escalation-sweep 'Array.isArray(o.escalated) && typeof o.redelivery.sent === "number"' \
    "the sweep ran (escalated, redelivery)"
fi

# daily-summary: its scheduled event (sends the day's summary if enabled and due and not sent yet)
if call daily-summary daily-summary "$EVENTS/daily-summary/scheduled-event.json"; then
  expect daily-summary 'typeof o.sent === "boolean" && (o.sent || typeof o.reason === "string")' \
    "the summary answered (sent, or why not)"
fi

# dashboard: the API Gateway sample (GET /dashboard), filtered on the test source
if call dashboard dashboard "$(body dashboard "$EVENTS/dashboard/api-gateway-http.json" '
  o.rawQueryString = "source=tocsin-smoke"; o.queryStringParameters = { source: "tocsin-smoke" }')"; then
  expect dashboard 'o.statusCode === 200 && o.body.startsWith("<!DOCTYPE html") && o.body.includes("[tocsin-smoke]")' \
    "the page rendered, with the test incident in its history"
fi

# pagerduty-webhook: the sample with a wrong signature is refused
if call pagerduty-webhook pagerduty-webhook "$(body webhook "$EVENTS/pagerduty-webhook/api-gateway-http.json" '
  o.headers["x-pagerduty-signature"] = "v1=" + "0".repeat(64); o.headers["x-webhook-id"] = "tocsin-smoke-" + env.RUN')"; then
  expect pagerduty-webhook 'o.statusCode === 401' "a delivery with a wrong signature refused (401)"
fi

# over HTTP
if [ "$MODE" = local ]; then
  http dashboard-http GET "$URL/dashboard?source=tocsin-smoke"
  expect_html() {
    if [ "$HTTP_STATUS" = 200 ] && printf '%s' "$ANSWER" | grep -q '<!DOCTYPE html'; then pass "$1: $2"
    else fail "$1: expected HTTP 200 and an HTML page; got HTTP $HTTP_STATUS $(printf '%s' "$ANSWER" | head -c 200)"; fi
  }
  expect_html dashboard-http "GET /dashboard renders the page"
  # a refused direct call answers the API Gateway route's status, its body unchanged
  BAD_ALERT="$(body bad-alert "$ALERT" 'delete o.source; o.severity = "urgent"')"
  http http-errors POST "$URL/ingest" "$BAD_ALERT"
  if [ "$HTTP_STATUS" = 400 ] && [ "$(printf '%s' "$ANSWER" | js 'o.error === "invalid_alert" && o.problems.length === 2')" = true ]; then
    MISSING="$(body missing-incident "$EVENTS/incident/direct.json" 'o.incident_id = "00000000-0000-4000-8000-000000000000"')"
    http http-errors POST "$URL/incident" "$MISSING"
    if [ "$HTTP_STATUS" = 404 ] && [ "$(printf '%s' "$ANSWER" | js 'o.error')" = not_found ]; then
      pass "http-errors: an invalid alert answered HTTP 400, an unknown incident HTTP 404, with the direct-call bodies"
    else fail "http-errors: expected HTTP 404 not_found for an unknown incident; got HTTP $HTTP_STATUS $(printf '%s' "$ANSWER" | head -c 300)"; fi
  else
    fail "http-errors: expected HTTP 400 invalid_alert (2 problems); got HTTP $HTTP_STATUS $(printf '%s' "$ANSWER" | head -c 300)"
  fi
else
  status_is() {
    if [ "$HTTP_STATUS" = "$2" ]; then pass "$1: $3"
    else fail "$1: expected HTTP $2 ($3); got HTTP $HTTP_STATUS $(printf '%s' "$ANSWER" | head -c 300)"; fi
  }
  if [ -z "${AWS_ACCESS_KEY_ID:-}" ]; then
    fail "http: no AWS credentials for SigV4 (aws configure export-credentials gave none)"
  else
    HTTP_ALERT="$(body http-alert "$ALERT" 'o.dedup_key = "tocsin-smoke/http-" + env.RUN; o.title += " (HTTP API)"')"
    http http-ingest POST "$API/ingest" "$HTTP_ALERT"
    status_is http-ingest 201 "POST /ingest created an incident (SigV4)"
    HTTP_ID="$(printf '%s' "$ANSWER" | js 'o.incident_id')"
    if [ -n "$HTTP_ID" ]; then
      CREATED="$CREATED $HTTP_ID"
      export HTTP_ID
      http http-incident GET "$API/incidents/$HTTP_ID"
      status_is http-incident 200 "GET /incidents/{id} found it"
      http http-resolve POST "$API/incidents/$HTTP_ID/resolve" \
        "$(body http-resolve "$EVENTS/resolve/direct.json" 'delete o.incident_id; o.resolution_notes = env.resolve_notes; o.resolved_by = "tocsin-smoke"')"
      status_is http-resolve 200 "POST /incidents/{id}/resolve closed it"
    fi
    http http-dashboard GET "$API/dashboard?source=tocsin-smoke"
    if [ "$HTTP_STATUS" = 200 ] && printf '%s' "$ANSWER" | grep -q '<!DOCTYPE html'; then
      pass "http-dashboard: GET /dashboard renders the page (SigV4)"
    else
      fail "http-dashboard: expected HTTP 200 and an HTML page; got HTTP $HTTP_STATUS $(printf '%s' "$ANSWER" | head -c 200)"
    fi
    SIGN=no http http-unsigned GET "$API/incidents"
    status_is http-unsigned 403 "an unsigned request refused by IAM auth"
  fi
  SIGN=no http http-webhook POST "$WEBHOOK_URL" "$(body http-webhook "$EVENTS/rules/direct.json" 'o.event = { id: "x" }')"
  status_is http-webhook 401 "POST /pagerduty/webhook unsigned refused by the function (401)"
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
