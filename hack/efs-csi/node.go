package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/container-storage-interface/spec/lib/go/csi"
	"golang.org/x/sys/unix"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

const (
	driverName    = "efs.csi.aws.com"
	driverVersion = "0.1.0-testbed"
)

// Driver serves CSI Identity and Node for efs.csi.aws.com by bind-mounting host directories.
type Driver struct {
	csi.UnimplementedIdentityServer
	csi.UnimplementedNodeServer

	NodeID       string
	DataRoot     string
	Default      Owner
	AccessPoints *AccessPoints
	VolumeStats  bool

	// One publish or unpublish at a time: they are quick, and it keeps two pods of one volume from
	// racing to create its directory.
	mu sync.Mutex
}

// Same as aws-efs-csi-driver: single-node and multi-node writers; readers-only modes are refused there too.
var supportedAccessModes = map[csi.VolumeCapability_AccessMode_Mode]bool{
	csi.VolumeCapability_AccessMode_SINGLE_NODE_WRITER:      true,
	csi.VolumeCapability_AccessMode_MULTI_NODE_MULTI_WRITER: true,
}

func (d *Driver) GetPluginInfo(context.Context, *csi.GetPluginInfoRequest) (*csi.GetPluginInfoResponse, error) {
	return &csi.GetPluginInfoResponse{Name: driverName, VendorVersion: driverVersion}, nil
}

// GetPluginCapabilities lists none: there is no controller service, volumes are statically provisioned.
func (d *Driver) GetPluginCapabilities(context.Context, *csi.GetPluginCapabilitiesRequest) (*csi.GetPluginCapabilitiesResponse, error) {
	return &csi.GetPluginCapabilitiesResponse{}, nil
}

func (d *Driver) Probe(context.Context, *csi.ProbeRequest) (*csi.ProbeResponse, error) {
	return &csi.ProbeResponse{Ready: wrapperspb.Bool(true)}, nil
}

func (d *Driver) NodeGetInfo(context.Context, *csi.NodeGetInfoRequest) (*csi.NodeGetInfoResponse, error) {
	return &csi.NodeGetInfoResponse{NodeId: d.NodeID}, nil
}

// NodeGetCapabilities has no STAGE_UNSTAGE_VOLUME, like the real driver: the kubelet then publishes
// straight to each pod's target path.
func (d *Driver) NodeGetCapabilities(context.Context, *csi.NodeGetCapabilitiesRequest) (*csi.NodeGetCapabilitiesResponse, error) {
	resp := &csi.NodeGetCapabilitiesResponse{}
	if d.VolumeStats {
		resp.Capabilities = append(resp.Capabilities, &csi.NodeServiceCapability{
			Type: &csi.NodeServiceCapability_Rpc{Rpc: &csi.NodeServiceCapability_RPC{Type: csi.NodeServiceCapability_RPC_GET_VOLUME_STATS}},
		})
	}
	return resp, nil
}

func (d *Driver) NodePublishVolume(ctx context.Context, req *csi.NodePublishVolumeRequest) (*csi.NodePublishVolumeResponse, error) {
	if req.GetVolumeId() == "" {
		return nil, status.Error(codes.InvalidArgument, "volume id missing")
	}
	if req.GetTargetPath() == "" {
		return nil, status.Error(codes.InvalidArgument, "target path missing")
	}
	if err := checkCapability(req.GetVolumeCapability()); err != nil {
		return nil, err
	}
	if err := checkVolumeContext(req.GetVolumeContext()); err != nil {
		return nil, err
	}
	vol, err := ParseVolumeHandle(req.GetVolumeId())
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	if flags := req.GetVolumeCapability().GetMount().GetMountFlags(); len(flags) > 0 {
		note(ctx, "mount options ignored: %s", strings.Join(flags, ","))
	}

	d.mu.Lock()
	defer d.mu.Unlock()

	target := filepath.Clean(req.GetTargetPath())
	_, statErr := os.Stat(target)
	createdTarget := errors.Is(statErr, os.ErrNotExist)
	if err := os.MkdirAll(target, 0o750); err != nil {
		return nil, status.Errorf(codes.Internal, "create target %s: %v", target, err)
	}
	canonTarget, err := canonical(target)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "resolve target %s: %v", target, err)
	}
	mounts, err := mountsAt(canonTarget)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "read mounts: %v", err)
	}
	// Already mounted: fine if it is this volume the same way, before any directory is created for it.
	if len(mounts) > 0 {
		source := vol.HostDir(d.DataRoot)
		same, err := sameDir(source, canonTarget)
		if err != nil && !errors.Is(err, unix.ENOENT) {
			return nil, status.Errorf(codes.Internal, "compare %s with %s: %v", target, source, err)
		}
		if !same || mounts[len(mounts)-1].ReadOnly() != req.GetReadonly() {
			return nil, status.Errorf(codes.AlreadyExists, "%s is already mounted, but not from %s with readonly=%t",
				target, source, req.GetReadonly())
		}
		note(ctx, "already mounted from %s", source)
		return &csi.NodePublishVolumeResponse{}, nil
	}
	source, err := d.prepareSource(ctx, vol)
	if err == nil {
		err = bindMount(source, canonTarget, req.GetReadonly())
	}
	if err != nil {
		if createdTarget {
			_ = os.Remove(canonTarget)
		}
		return nil, status.Error(codes.Internal, err.Error())
	}
	note(ctx, "bind %s", source)
	return &csi.NodePublishVolumeResponse{}, nil
}

// prepareSource creates the volume's host directory if it is missing. An access point's root directory
// gets the access point's CreationInfo owner; anything else the defaults.
func (d *Driver) prepareSource(ctx context.Context, vol Volume) (string, error) {
	fsDir := filepath.Join(d.DataRoot, vol.FileSystemID)
	owner := d.Default
	if apDir := vol.AccessPointDir(d.DataRoot); apDir != "" {
		if _, err := os.Stat(apDir); errors.Is(err, os.ErrNotExist) {
			owner = d.accessPointOwner(ctx, vol)
			if _, err := ensureDir(fsDir, apDir, owner); err != nil {
				return "", err
			}
			note(ctx, "created %s owner %s", apDir, owner)
		} else if err != nil {
			return "", err
		}
		fsDir = apDir
	}
	dir := vol.HostDir(d.DataRoot)
	created, err := ensureDir(fsDir, dir, owner)
	if err != nil {
		return "", err
	}
	if created {
		note(ctx, "created %s owner %s", dir, owner)
	}
	return dir, nil
}

func (d *Driver) accessPointOwner(ctx context.Context, vol Volume) Owner {
	if d.AccessPoints == nil {
		return d.Default
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	o, err := d.AccessPoints.Lookup(ctx, vol.FileSystemID, vol.AccessPointID)
	if err != nil {
		fallback := d.Default
		fallback.Source = "default (" + err.Error() + ")"
		return fallback
	}
	return o
}

func (d *Driver) NodeUnpublishVolume(ctx context.Context, req *csi.NodeUnpublishVolumeRequest) (*csi.NodeUnpublishVolumeResponse, error) {
	if req.GetVolumeId() == "" {
		return nil, status.Error(codes.InvalidArgument, "volume id missing")
	}
	if req.GetTargetPath() == "" {
		return nil, status.Error(codes.InvalidArgument, "target path missing")
	}
	d.mu.Lock()
	defer d.mu.Unlock()

	target, err := canonical(filepath.Clean(req.GetTargetPath()))
	if errors.Is(err, os.ErrNotExist) {
		note(ctx, "target absent")
		return &csi.NodeUnpublishVolumeResponse{}, nil
	}
	if err != nil {
		return nil, status.Errorf(codes.Internal, "resolve target: %v", err)
	}
	// A loop in case the same target was mounted more than once by someone else.
	for i := 0; ; i++ {
		mounts, err := mountsAt(target)
		if err != nil {
			return nil, status.Errorf(codes.Internal, "read mounts: %v", err)
		}
		if len(mounts) == 0 {
			break
		}
		if i == 10 {
			return nil, status.Errorf(codes.Internal, "%s still mounted after %d unmounts", target, i)
		}
		if err := unix.Unmount(target, 0); err != nil {
			return nil, status.Errorf(codes.Internal, "umount %s: %v", target, err)
		}
		note(ctx, "unmounted")
	}
	if err := os.Remove(target); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, status.Errorf(codes.Internal, "remove target %s: %v", target, err)
	}
	return &csi.NodeUnpublishVolumeResponse{}, nil
}

func (d *Driver) NodeGetVolumeStats(ctx context.Context, req *csi.NodeGetVolumeStatsRequest) (*csi.NodeGetVolumeStatsResponse, error) {
	if req.GetVolumeId() == "" || req.GetVolumePath() == "" {
		return nil, status.Error(codes.InvalidArgument, "volume id and volume path are required")
	}
	var st unix.Statfs_t
	if err := unix.Statfs(req.GetVolumePath(), &st); err != nil {
		if errors.Is(err, unix.ENOENT) {
			return nil, status.Errorf(codes.NotFound, "%s: %v", req.GetVolumePath(), err)
		}
		return nil, status.Errorf(codes.Internal, "statfs %s: %v", req.GetVolumePath(), err)
	}
	bsize := int64(st.Bsize)
	return &csi.NodeGetVolumeStatsResponse{Usage: []*csi.VolumeUsage{
		{Unit: csi.VolumeUsage_BYTES, Total: int64(st.Blocks) * bsize, Available: int64(st.Bavail) * bsize,
			Used: int64(st.Blocks-st.Bfree) * bsize},
		{Unit: csi.VolumeUsage_INODES, Total: int64(st.Files), Available: int64(st.Ffree), Used: int64(st.Files - st.Ffree)},
	}}, nil
}

func checkCapability(c *csi.VolumeCapability) error {
	if c == nil {
		return status.Error(codes.InvalidArgument, "volume capability missing")
	}
	if c.GetMount() == nil {
		return status.Error(codes.InvalidArgument, "only the mount access type is supported (EFS has no block volumes)")
	}
	if fs := c.GetMount().GetFsType(); fs != "" && fs != "efs" {
		return status.Errorf(codes.InvalidArgument, "fsType %q is not supported", fs)
	}
	if mode := c.GetAccessMode().GetMode(); !supportedAccessModes[mode] {
		return status.Errorf(codes.InvalidArgument, "access mode %s is not supported by efs.csi.aws.com", mode)
	}
	return nil
}

// checkVolumeContext accepts the attributes the real driver accepts and rejects the others, as it does,
// so a PersistentVolume the real driver would refuse fails here too.
func checkVolumeContext(attrs map[string]string) error {
	for k, v := range attrs {
		switch strings.ToLower(k) {
		case "storage.kubernetes.io/csiprovisioneridentity":
		case "encryptintransit", "crossaccount":
			if _, err := strconv.ParseBool(v); err != nil {
				return status.Errorf(codes.InvalidArgument, "volume attribute %q must be a boolean: %v", k, err)
			}
		case "mounttargetip":
			if net.ParseIP(v) == nil {
				return status.Errorf(codes.InvalidArgument, "volume attribute %q=%q is not an IP address", k, v)
			}
		case "mounttargetipmap": // JSON availability zone → IP, written by the real controller
		default:
			return status.Errorf(codes.InvalidArgument, "volume attribute %s is not supported", k)
		}
	}
	return nil
}

type noteKey struct{}

// callNote collects what a call did, for its one log line.
type callNote struct{ parts []string }

func note(ctx context.Context, format string, args ...any) {
	if n, ok := ctx.Value(noteKey{}).(*callNote); ok {
		n.parts = append(n.parts, fmt.Sprintf(format, args...))
	}
}
