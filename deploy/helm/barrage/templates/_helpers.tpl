{{/* Name of the chart, truncated to 63 characters. */}}
{{- define "barrage.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: RELEASE-NAME, or RELEASE when it already holds the name. */}}
{{- define "barrage.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "barrage.controllerName" -}}
{{- printf "%s-controller" (include "barrage.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "barrage.agentName" -}}
{{- printf "%s-agent" (include "barrage.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "barrage.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Common labels; call with (dict "ctx" . "component" "controller"). */}}
{{- define "barrage.labels" -}}
helm.sh/chart: {{ include "barrage.chart" .ctx }}
{{ include "barrage.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: barrage
{{- with .ctx.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels (immutable: no version, no chart). */}}
{{- define "barrage.selectorLabels" -}}
app.kubernetes.io/name: {{ include "barrage.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "barrage.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The controller's in-cluster gRPC address. */}}
{{- define "barrage.controllerAddress" -}}
{{- printf "%s:%d" (include "barrage.controllerName" .) (int .Values.controller.grpcPort) }}
{{- end }}

{{/* Secret names. */}}
{{- define "barrage.controllerTlsSecret" -}}
{{- if and (eq .Values.tls.source "secret") .Values.tls.controller.existingSecret }}
{{- .Values.tls.controller.existingSecret }}
{{- else }}
{{- printf "%s-tls" (include "barrage.controllerName" .) }}
{{- end }}
{{- end }}

{{- define "barrage.agentTlsSecret" -}}
{{- if and (eq .Values.tls.source "secret") .Values.tls.agent.existingSecret }}
{{- .Values.tls.agent.existingSecret }}
{{- else }}
{{- printf "%s-tls" (include "barrage.agentName" .) }}
{{- end }}
{{- end }}

{{- define "barrage.tokenSecret" -}}
{{- default (printf "%s-token" (include "barrage.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{- define "barrage.hasToken" -}}
{{- if or .Values.auth.token .Values.auth.existingSecret }}true{{ end }}
{{- end }}

{{/* The agents' certificate common name: tls.agent.commonName, or the
fleet name "<agent Deployment>-*" that every agent pod (id = pod name) may
present. */}}
{{- define "barrage.agentCommonName" -}}
{{- .Values.tls.agent.commonName | default (printf "%s-*" (include "barrage.agentName" .)) }}
{{- end }}

{{/* Whether the shared agent certificate names one agent id (no trailing '*'). */}}
{{- define "barrage.singleAgentCert" -}}
{{- if and .Values.tls.enabled (not (include "barrage.perPodAgentCerts" .)) (not (hasSuffix "*" (include "barrage.agentCommonName" .))) }}true{{ end }}
{{- end }}

{{/* Whether each agent pod gets its own certificate from the csi-driver. */}}
{{- define "barrage.perPodAgentCerts" -}}
{{- if and .Values.tls.enabled (eq .Values.tls.source "certManager") .Values.tls.certManager.perPodAgentCertificates }}true{{ end }}
{{- end }}

{{/* Checks on combinations the schema cannot express. */}}
{{- define "barrage.validate" -}}
{{- if .Values.tls.enabled }}
{{- if eq .Values.tls.source "secret" }}
{{- if and (not .Values.tls.controller.existingSecret) (not (and .Values.tls.controller.cert .Values.tls.controller.key .Values.tls.controller.ca)) }}
{{- fail "tls.enabled with tls.source=secret: give tls.controller.existingSecret, or tls.controller.cert, .key and .ca" }}
{{- end }}
{{- if and (not .Values.tls.agent.existingSecret) (not (and .Values.tls.agent.cert .Values.tls.agent.key)) }}
{{- fail "tls.enabled with tls.source=secret: give tls.agent.existingSecret, or tls.agent.cert and .key" }}
{{- end }}
{{- end }}
{{- if eq .Values.tls.source "certManager" }}
{{- if not .Values.tls.certManager.issuerRef.name }}
{{- fail "tls.source=certManager: set tls.certManager.issuerRef.name" }}
{{- end }}
{{- end }}
{{- if include "barrage.singleAgentCert" . }}
{{- if or .Values.agent.autoscaling.enabled (gt (int .Values.agent.replicas) 1) }}
{{- fail "an agent certificate for one agent id (tls.agent.commonName without a trailing '*') allows one agent: leave tls.agent.commonName empty for a fleet certificate (NAME-*), set agent.replicas=1, or use tls.certManager.perPodAgentCertificates" }}
{{- end }}
{{- end }}
{{- end }}
{{- if and .Values.agent.autoscaling.enabled (gt (int .Values.agent.autoscaling.minReplicas) (int .Values.agent.autoscaling.maxReplicas)) }}
{{- fail "agent.autoscaling.minReplicas is above maxReplicas" }}
{{- end }}
{{- end }}

{{/* Arguments the CLI needs to reach the controller from inside the cluster. */}}
{{- define "barrage.cliArgs" -}}
- --controller
- {{ include "barrage.controllerAddress" . }}
{{- if .Values.tls.enabled }}
- --tls-ca
- /etc/barrage/tls/ca.crt
{{- else }}
- --insecure
{{- end }}
{{- if include "barrage.hasToken" . }}
- --token-file
- /etc/barrage/token/token
{{- end }}
{{- end }}

{{/* The expected number of agents. */}}
{{- define "barrage.expectedAgents" -}}
{{- if .Values.agent.autoscaling.enabled }}{{ .Values.agent.autoscaling.minReplicas }}{{ else }}{{ .Values.agent.replicas }}{{ end }}
{{- end }}

{{/*
A controller probe from its value (dict "ctx" $ "probe" VALUE): a `grpc:` probe gets
controller.grpcPort unless it names a port; with tls.enabled it becomes HTTP /healthz (the
kubelet's gRPC probe dials plaintext only). Other probes render as given.
*/}}
{{- define "barrage.controllerProbe" -}}
{{- $probe := deepCopy .probe -}}
{{- if hasKey $probe "grpc" -}}
{{- $grpc := $probe.grpc | default dict -}}
{{- $_ := unset $probe "grpc" -}}
{{- if .ctx.Values.tls.enabled -}}
{{- $_ := set $probe "httpGet" (dict "path" "/healthz" "port" "http") -}}
{{- else -}}
{{- if not (hasKey $grpc "port") -}}
{{- $_ := set $grpc "port" (int .ctx.Values.controller.grpcPort) -}}
{{- end -}}
{{- $_ := set $probe "grpc" $grpc -}}
{{- end -}}
{{- end -}}
{{- toYaml $probe -}}
{{- end -}}
