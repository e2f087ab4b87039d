// Command csicheck talks to the efs-csi plugin over its sockets as the kubelet would, for selftest.sh.
// It can also stand in for the AWS emulator's DescribeAccessPoints (fake-efs).
//
//	csicheck reginfo   -socket REG.sock [-notify]
//	csicheck identity  -socket CSI.sock
//	csicheck publish   -socket CSI.sock -volume ID -target DIR [-readonly] [-mode MODE] [-attr k=v]…
//	csicheck unpublish -socket CSI.sock -volume ID -target DIR
//	csicheck stats     -socket CSI.sock -volume ID -path DIR
//	csicheck fake-efs  -listen HOST:PORT -region R -ap fsap-ID=fs-ID:UID:GID:MODE …
//
// A gRPC error exits with status 2 and prints its code on stderr, so a script can expect one.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/container-storage-interface/spec/lib/go/csi"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	registerapi "k8s.io/kubelet/pkg/apis/pluginregistration/v1"
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	if len(os.Args) < 2 {
		fail("usage: csicheck reginfo|identity|publish|unpublish|stats|fake-efs [flags]")
	}
	cmd, fs := os.Args[1], flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	socket := fs.String("socket", "", "unix socket")
	volume := fs.String("volume", "", "volume id (handle)")
	target := fs.String("target", "", "target path")
	path := fs.String("path", "", "volume path")
	readonly := fs.Bool("readonly", false, "publish read-only")
	mode := fs.String("mode", "MULTI_NODE_MULTI_WRITER", "access mode")
	notify := fs.Bool("notify", false, "also send NotifyRegistrationStatus(registered)")
	listen := fs.String("listen", "127.0.0.1:0", "fake-efs address")
	region := fs.String("region", "eu-west-1", "fake-efs region")
	var attrs, aps multi
	fs.Var(&attrs, "attr", "volume attribute k=v (repeatable)")
	fs.Var(&aps, "ap", "fake-efs access point fsap-ID=fs-ID:UID:GID:MODE (repeatable)")
	_ = fs.Parse(os.Args[2:])

	if cmd == "fake-efs" {
		fakeEFS(*listen, *region, aps)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := grpc.NewClient("unix://"+*socket, grpc.WithTransportCredentials(insecure.NewCredentials()))
	check(err)
	defer conn.Close()

	switch cmd {
	case "reginfo":
		c := registerapi.NewRegistrationClient(conn)
		info, err := c.GetInfo(ctx, &registerapi.InfoRequest{})
		check(err)
		show(map[string]any{"type": info.Type, "name": info.Name, "endpoint": info.Endpoint, "versions": info.SupportedVersions})
		if *notify {
			_, err := c.NotifyRegistrationStatus(ctx, &registerapi.RegistrationStatus{PluginRegistered: true})
			check(err)
		}
	case "identity":
		id, node := csi.NewIdentityClient(conn), csi.NewNodeClient(conn)
		info, err := id.GetPluginInfo(ctx, &csi.GetPluginInfoRequest{})
		check(err)
		caps, err := id.GetPluginCapabilities(ctx, &csi.GetPluginCapabilitiesRequest{})
		check(err)
		probe, err := id.Probe(ctx, &csi.ProbeRequest{})
		check(err)
		ni, err := node.NodeGetInfo(ctx, &csi.NodeGetInfoRequest{})
		check(err)
		nc, err := node.NodeGetCapabilities(ctx, &csi.NodeGetCapabilitiesRequest{})
		check(err)
		var nodeCaps []string
		for _, c := range nc.Capabilities {
			nodeCaps = append(nodeCaps, c.GetRpc().GetType().String())
		}
		show(map[string]any{"name": info.Name, "vendorVersion": info.VendorVersion, "pluginCapabilities": len(caps.Capabilities),
			"ready": probe.GetReady().GetValue(), "nodeId": ni.NodeId, "nodeCapabilities": nodeCaps})
	case "publish":
		m, ok := csi.VolumeCapability_AccessMode_Mode_value[*mode]
		if !ok {
			fail("unknown access mode " + *mode)
		}
		ctxAttrs := map[string]string{}
		for _, a := range attrs {
			k, v, _ := strings.Cut(a, "=")
			ctxAttrs[k] = v
		}
		_, err := csi.NewNodeClient(conn).NodePublishVolume(ctx, &csi.NodePublishVolumeRequest{
			VolumeId:   *volume,
			TargetPath: *target,
			Readonly:   *readonly,
			VolumeCapability: &csi.VolumeCapability{
				AccessType: &csi.VolumeCapability_Mount{Mount: &csi.VolumeCapability_MountVolume{}},
				AccessMode: &csi.VolumeCapability_AccessMode{Mode: csi.VolumeCapability_AccessMode_Mode(m)},
			},
			VolumeContext: ctxAttrs,
		})
		check(err)
	case "unpublish":
		_, err := csi.NewNodeClient(conn).NodeUnpublishVolume(ctx, &csi.NodeUnpublishVolumeRequest{VolumeId: *volume, TargetPath: *target})
		check(err)
	case "stats":
		r, err := csi.NewNodeClient(conn).NodeGetVolumeStats(ctx, &csi.NodeGetVolumeStatsRequest{VolumeId: *volume, VolumePath: *path})
		check(err)
		show(r.Usage)
	default:
		fail("unknown command " + cmd)
	}
}

// fakeEFS answers GET /2015-02-01/access-points?AccessPointId= like moto, for one region.
func fakeEFS(listen, region string, aps []string) {
	type ap struct{ fs, uid, gid, mode string }
	known := map[string]ap{}
	for _, a := range aps {
		id, rest, _ := strings.Cut(a, "=")
		p := strings.Split(rest, ":")
		if len(p) != 4 {
			fail("bad -ap " + a)
		}
		known[id] = ap{p[0], p[1], p[2], p[3]}
	}
	l, err := net.Listen("tcp", listen)
	check(err)
	fmt.Printf("http://%s\n", l.Addr())
	_ = os.Stdout.Sync()
	http.HandleFunc("/2015-02-01/access-points", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("AccessPointId")
		a, ok := known[id]
		if !ok || !strings.Contains(r.Header.Get("Authorization"), "/"+region+"/elasticfilesystem/") {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, `{"ErrorCode": "AccessPointNotFound", "Message": "%s"}`, id)
			return
		}
		fmt.Fprintf(w, `{"AccessPoints": [{"AccessPointId": %q, "FileSystemId": %q, "RootDirectory": {"Path": "/x",
			"CreationInfo": {"OwnerUid": %s, "OwnerGid": %s, "Permissions": %q}}, "LifeCycleState": "available"}]}`,
			id, a.fs, a.uid, a.gid, a.mode)
	})
	check(http.Serve(l, nil))
}

func show(v any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

func check(err error) {
	if err == nil {
		return
	}
	if s, ok := status.FromError(err); ok {
		fmt.Fprintf(os.Stderr, "%s: %s\n", s.Code(), s.Message())
		os.Exit(2)
	}
	fail(err.Error())
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(1)
}
