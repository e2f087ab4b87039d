package main

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// Volume is a parsed EFS volume handle.
type Volume struct {
	FileSystemID  string // fs-…
	SubPath       string // cleaned, absolute ("/" when none); relative to the access point root when AccessPointID is set
	AccessPointID string // fsap-…, or empty
}

// The real driver wants 8 to 40 lower-case hex digits; the test bed only needs names that are safe as one
// path element, so shorter ids such as fs-123 are accepted too.
var (
	fileSystemIDPattern  = regexp.MustCompile(`^fs-[0-9A-Za-z]{1,64}$`)
	accessPointIDPattern = regexp.MustCompile(`^fsap-[0-9A-Za-z]{1,64}$`)
)

// ParseVolumeHandle accepts the handles of aws-efs-csi-driver: `fs-id`, `fs-id:/path`, `fs-id::fsap-id`,
// `fs-id:/path:fsap-id` (empty fields may also be present, e.g. `fs-id::`), optionally prefixed by the
// file system type `efs:` as newer driver versions write them.
func ParseVolumeHandle(handle string) (Volume, error) {
	tokens := strings.Split(handle, ":")
	switch tokens[0] {
	case "efs":
		tokens = tokens[1:]
	case "s3files":
		return Volume{}, fmt.Errorf("volume handle %q: S3 Files file systems are not emulated", handle)
	}
	if len(tokens) == 0 || len(tokens) > 3 {
		return Volume{}, fmt.Errorf("volume handle %q: expected fs-ID[:path[:fsap-ID]]", handle)
	}
	v := Volume{FileSystemID: tokens[0], SubPath: "/"}
	if !fileSystemIDPattern.MatchString(v.FileSystemID) {
		return Volume{}, fmt.Errorf("volume handle %q: file system id %q is not of the form fs-…", handle, v.FileSystemID)
	}
	if len(tokens) >= 2 && tokens[1] != "" {
		// As in the real driver the path need not be absolute; rooting it before cleaning keeps ".." from
		// climbing out of the file system.
		v.SubPath = path.Clean("/" + tokens[1])
	}
	if len(tokens) == 3 && tokens[2] != "" {
		v.AccessPointID = tokens[2]
		if !accessPointIDPattern.MatchString(v.AccessPointID) {
			return Volume{}, fmt.Errorf("volume handle %q: access point id %q is not of the form fsap-…", handle, v.AccessPointID)
		}
	}
	return v, nil
}

// AccessPointDir is the host directory standing for the access point's root directory, or "" without one.
func (v Volume) AccessPointDir(dataRoot string) string {
	if v.AccessPointID == "" {
		return ""
	}
	return filepath.Join(dataRoot, v.FileSystemID, v.AccessPointID)
}

// HostDir is the host directory that is bind-mounted for the volume:
// <data-root>/<fs-id>[/<fsap-id>][/<path>].
func (v Volume) HostDir(dataRoot string) string {
	base := filepath.Join(dataRoot, v.FileSystemID)
	if v.AccessPointID != "" {
		base = v.AccessPointDir(dataRoot)
	}
	return filepath.Join(base, filepath.FromSlash(v.SubPath))
}

func (v Volume) String() string {
	return v.FileSystemID + ":" + v.SubPath + ":" + v.AccessPointID
}
