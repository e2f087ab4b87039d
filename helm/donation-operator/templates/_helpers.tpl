{{- define "donation-operator.labels" -}}
app.kubernetes.io/name: donation-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: charity-campaign
{{- end }}

{{/* logging.format, checked: json or text. */}}
{{- define "donation-operator.logFormat" -}}
{{- $format := .Values.logging.format | default "json" -}}
{{- if not (has $format (list "json" "text")) -}}
{{- fail (printf "logging.format must be json or text, not %q" $format) -}}
{{- end -}}
{{- $format -}}
{{- end }}
