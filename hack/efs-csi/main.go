// Command efs-csi is a CSI node plugin for efs.csi.aws.com that needs neither EFS nor NFS: each volume
// handle maps to a host directory that is bind-mounted into the pods' volume paths. It registers itself
// with the kubelet (the node-driver-registrar's job) and runs as a root host process of the test bed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/container-storage-interface/spec/lib/go/csi"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"
	registerapi "k8s.io/kubelet/pkg/apis/pluginregistration/v1"
)

type config struct {
	endpoint, kubeletRoot, dataRoot, nodeID string
	awsEndpoint, awsRegion                  string
	defaultUID, defaultGID                  int
	defaultMode                             string
	volumeStats                             bool
}

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	log.SetPrefix("efs-csi ")
	hostname, _ := os.Hostname()
	var c config
	flag.StringVar(&c.kubeletRoot, "kubelet-root", "/var/lib/kubelet", "the kubelet's --root-dir; the sockets go to its plugins_registry/ and plugins/ directories")
	flag.StringVar(&c.endpoint, "endpoint", "", "CSI socket, unix:///path or /path (default <kubelet-root>/plugins/efs.csi.aws.com/csi.sock)")
	flag.StringVar(&c.dataRoot, "data-root", "/var/lib/donation-efs", "host directory holding the emulated file systems: <data-root>/<fs-id>/<fsap-id or path>")
	flag.StringVar(&c.nodeID, "node-id", hostname, "node id reported by NodeGetInfo (the Node's name)")
	flag.StringVar(&c.awsEndpoint, "aws-endpoint", os.Getenv("AWS_ENDPOINT_URL"), "EFS API of the AWS emulator, e.g. http://127.0.0.1:5000, to read access point owners; empty: always use the defaults")
	flag.StringVar(&c.awsRegion, "aws-region", firstNonEmpty(os.Getenv("AWS_REGION"), os.Getenv("AWS_DEFAULT_REGION"), "us-east-1"), "region of the access points in the emulator")
	flag.IntVar(&c.defaultUID, "default-uid", 33, "owner uid of created directories when the access point cannot be looked up")
	flag.IntVar(&c.defaultGID, "default-gid", 33, "owner gid of created directories when the access point cannot be looked up")
	flag.StringVar(&c.defaultMode, "default-mode", "0775", "octal mode of created directories when the access point cannot be looked up")
	flag.BoolVar(&c.volumeStats, "volume-stats", false, "advertise GET_VOLUME_STATS (the real driver's default is off)")
	flag.Parse()
	if flag.NArg() > 0 {
		log.Fatalf("unexpected arguments: %v", flag.Args())
	}
	if err := run(c); err != nil {
		log.Fatal(err)
	}
}

func run(c config) error {
	mode, err := strconv.ParseUint(c.defaultMode, 8, 32)
	if err != nil || mode > 0o7777 {
		return fmt.Errorf("--default-mode %q is not an octal mode", c.defaultMode)
	}
	if c.nodeID == "" {
		return errors.New("--node-id is required")
	}
	csiSocket := strings.TrimPrefix(c.endpoint, "unix://")
	if csiSocket == "" {
		csiSocket = filepath.Join(c.kubeletRoot, "plugins", driverName, "csi.sock")
	}
	regSocket := filepath.Join(c.kubeletRoot, "plugins_registry", driverName+"-reg.sock")
	if c.dataRoot, err = filepath.Abs(c.dataRoot); err != nil {
		return err
	}
	if err := os.MkdirAll(c.dataRoot, 0o755); err != nil {
		return err
	}

	driver := &Driver{
		NodeID:       c.nodeID,
		DataRoot:     c.dataRoot,
		Default:      Owner{UID: c.defaultUID, GID: c.defaultGID, Mode: fileMode(uint32(mode)), Source: "default"},
		AccessPoints: &AccessPoints{Endpoint: c.awsEndpoint, Region: c.awsRegion},
		VolumeStats:  c.volumeStats,
	}
	csiServer := grpc.NewServer(grpc.UnaryInterceptor(logCall))
	csi.RegisterIdentityServer(csiServer, driver)
	csi.RegisterNodeServer(csiServer, driver)

	regServer := grpc.NewServer(grpc.UnaryInterceptor(logCall))
	registerapi.RegisterRegistrationServer(regServer, &registration{endpoint: csiSocket})

	// The CSI socket first, so the kubelet finds the driver serving once it sees the registration socket.
	csiListener, err := listenUnix(csiSocket)
	if err != nil {
		return err
	}
	regListener, err := listenUnix(regSocket)
	if err != nil {
		_ = csiListener.Close()
		return err
	}
	errs := make(chan error, 2)
	go func() { errs <- csiServer.Serve(csiListener) }()
	go func() { errs <- regServer.Serve(regListener) }()
	log.Printf("serving %s node=%s csi=%s registration=%s data-root=%s aws=%q region=%s defaults=%s",
		driverName, c.nodeID, csiSocket, regSocket, c.dataRoot, c.awsEndpoint, c.awsRegion, driver.Default)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	var serveErr error
	select {
	case s := <-sig:
		log.Printf("%v: shutting down", s)
	case serveErr = <-errs:
		log.Printf("a server stopped: %v", serveErr)
	}
	// The registration socket goes first: its removal is what makes the kubelet deregister the driver.
	stopServer(regServer)
	stopServer(csiServer)
	for _, p := range []string{regSocket, csiSocket} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			log.Printf("remove %s: %v", p, err)
		}
	}
	log.Printf("stopped")
	return serveErr
}

func stopServer(s *grpc.Server) {
	done := make(chan struct{})
	go func() { s.GracefulStop(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.Stop()
	}
}

// listenUnix listens on path after removing a socket left by an earlier run; anything else in the way is
// an error rather than something to delete.
func listenUnix(path string) (net.Listener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, err
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("%s exists and is not a socket", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, err
		}
	}
	return net.Listen("unix", path)
}

// registration answers the kubelet's plugin watcher, as node-driver-registrar does.
type registration struct {
	registerapi.UnimplementedRegistrationServer
	endpoint string
}

func (r *registration) GetInfo(context.Context, *registerapi.InfoRequest) (*registerapi.PluginInfo, error) {
	return &registerapi.PluginInfo{
		Type:              registerapi.CSIPlugin,
		Name:              driverName,
		Endpoint:          r.endpoint,
		SupportedVersions: []string{"1.0.0"},
	}, nil
}

func (r *registration) NotifyRegistrationStatus(ctx context.Context, s *registerapi.RegistrationStatus) (*registerapi.RegistrationStatusResponse, error) {
	if s.PluginRegistered {
		note(ctx, "registered with the kubelet")
	} else {
		note(ctx, "the kubelet refused the registration: %s", s.Error)
	}
	return &registerapi.RegistrationStatusResponse{}, nil
}

// logCall writes one line per call: method, the request's identifying fields, outcome, what was done.
func logCall(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	start := time.Now()
	n := &callNote{}
	resp, err := handler(context.WithValue(ctx, noteKey{}, n), req)
	method := info.FullMethod[strings.LastIndex(info.FullMethod, "/")+1:]
	outcome := "OK"
	if err != nil {
		outcome = status.Code(err).String() + ": " + status.Convert(err).Message()
	}
	line := fmt.Sprintf("%s%s -> %s (%s)", method, describe(req), outcome, time.Since(start).Round(time.Microsecond))
	if len(n.parts) > 0 {
		line += "; " + strings.Join(n.parts, "; ")
	}
	log.Print(line)
	return resp, err
}

func describe(req any) string {
	switch r := req.(type) {
	case *csi.NodePublishVolumeRequest:
		return fmt.Sprintf(" volume=%s target=%s readonly=%t mode=%s attrs=%v", r.GetVolumeId(), r.GetTargetPath(),
			r.GetReadonly(), r.GetVolumeCapability().GetAccessMode().GetMode(), r.GetVolumeContext())
	case *csi.NodeUnpublishVolumeRequest:
		return fmt.Sprintf(" volume=%s target=%s", r.GetVolumeId(), r.GetTargetPath())
	case *csi.NodeGetVolumeStatsRequest:
		return fmt.Sprintf(" volume=%s path=%s", r.GetVolumeId(), r.GetVolumePath())
	}
	return ""
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
