{{- define "donation-operator.labels" -}}
app.kubernetes.io/name: donation-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: charity-campaign
{{- end }}
