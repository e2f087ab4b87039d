"""The peak rehearsal's report and donation ledger (hack/peak-rehearsal.sh)."""
