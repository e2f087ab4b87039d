module donation-operator/hack/real-node/pause

go 1.26.0
