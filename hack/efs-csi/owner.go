package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Owner is the POSIX owner and mode given to a directory the plugin creates.
type Owner struct {
	UID, GID int
	Mode     os.FileMode
	Source   string // where it came from, for the log: "aws" or "default (…)"
}

func (o Owner) String() string {
	return fmt.Sprintf("%d:%d %04o from %s", o.UID, o.GID, o.Mode.Perm(), o.Source)
}

// AccessPoints looks up an access point's RootDirectory.CreationInfo through the EFS API of an AWS
// emulator. The request carries a fake SigV4 Authorization header only for its credential scope: moto
// reads the region and the service from it and does not check the signature.
type AccessPoints struct {
	Endpoint string // e.g. http://127.0.0.1:5000; empty disables the lookup
	Region   string
	Client   *http.Client

	mu    sync.Mutex
	cache map[string]Owner
}

type describeAccessPointsResponse struct {
	AccessPoints []struct {
		AccessPointID string `json:"AccessPointId"`
		FileSystemID  string `json:"FileSystemId"`
		RootDirectory struct {
			Path         string `json:"Path"`
			CreationInfo *struct {
				OwnerUID    json.Number `json:"OwnerUid"`
				OwnerGID    json.Number `json:"OwnerGid"`
				Permissions string      `json:"Permissions"`
			} `json:"CreationInfo"`
		} `json:"RootDirectory"`
	} `json:"AccessPoints"`
}

// Lookup returns the creation owner of the access point. Only answers are cached, so an emulator that
// was not up yet is asked again on the next call.
func (a *AccessPoints) Lookup(ctx context.Context, fileSystemID, accessPointID string) (Owner, error) {
	if a.Endpoint == "" {
		return Owner{}, errors.New("no --aws-endpoint")
	}
	key := fileSystemID + "::" + accessPointID
	a.mu.Lock()
	if o, ok := a.cache[key]; ok {
		a.mu.Unlock()
		return o, nil
	}
	a.mu.Unlock()

	u := strings.TrimRight(a.Endpoint, "/") + "/2015-02-01/access-points?AccessPointId=" + url.QueryEscape(accessPointID)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Owner{}, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", fmt.Sprintf(
		"AWS4-HMAC-SHA256 Credential=efs-csi/%s/%s/elasticfilesystem/aws4_request, SignedHeaders=host, Signature=0",
		time.Now().UTC().Format("20060102"), a.Region))
	client := a.Client
	if client == nil {
		client = &http.Client{Timeout: 3 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return Owner{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Owner{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return Owner{}, fmt.Errorf("DescribeAccessPoints %s: HTTP %d: %.200s", accessPointID, resp.StatusCode, strings.TrimSpace(string(body)))
	}
	var parsed describeAccessPointsResponse
	if err := json.Unmarshal(body, &parsed); err != nil {
		return Owner{}, fmt.Errorf("DescribeAccessPoints %s: %v", accessPointID, err)
	}
	for _, ap := range parsed.AccessPoints {
		if ap.AccessPointID != accessPointID {
			continue
		}
		if ap.FileSystemID != "" && ap.FileSystemID != fileSystemID {
			return Owner{}, fmt.Errorf("access point %s belongs to %s, not %s", accessPointID, ap.FileSystemID, fileSystemID)
		}
		ci := ap.RootDirectory.CreationInfo
		if ci == nil {
			return Owner{}, fmt.Errorf("access point %s has no RootDirectory.CreationInfo", accessPointID)
		}
		uid, err1 := strconv.Atoi(ci.OwnerUID.String())
		gid, err2 := strconv.Atoi(ci.OwnerGID.String())
		mode, err3 := strconv.ParseUint(ci.Permissions, 8, 32)
		if err := errors.Join(err1, err2, err3); err != nil || mode > 0o7777 {
			return Owner{}, fmt.Errorf("access point %s: unusable CreationInfo %+v", accessPointID, *ci)
		}
		o := Owner{UID: uid, GID: gid, Mode: fileMode(uint32(mode)), Source: "aws"}
		a.mu.Lock()
		if a.cache == nil {
			a.cache = map[string]Owner{}
		}
		a.cache[key] = o
		a.mu.Unlock()
		return o, nil
	}
	return Owner{}, fmt.Errorf("access point %s not found in %s", accessPointID, a.Region)
}

// fileMode turns POSIX permission bits (setuid/setgid/sticky included) into an os.FileMode.
func fileMode(bits uint32) os.FileMode {
	m := os.FileMode(bits & 0o777)
	if bits&0o4000 != 0 {
		m |= os.ModeSetuid
	}
	if bits&0o2000 != 0 {
		m |= os.ModeSetgid
	}
	if bits&0o1000 != 0 {
		m |= os.ModeSticky
	}
	return m
}

// ensureDir creates dir and any missing parent below stop (which must exist or be creatable as root
// 0755), giving each directory it creates the owner and mode. Existing directories are left as they are,
// as EFS applies CreationInfo only when it creates an access point's root directory. It reports whether
// dir itself was created.
func ensureDir(stop, dir string, o Owner) (bool, error) {
	if err := os.MkdirAll(stop, 0o755); err != nil {
		return false, err
	}
	rel, err := filepath.Rel(stop, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return false, fmt.Errorf("%s is not below %s", dir, stop)
	}
	if rel == "." {
		return false, nil
	}
	created := false
	cur := stop
	for _, elem := range strings.Split(rel, string(filepath.Separator)) {
		cur = filepath.Join(cur, elem)
		err := os.Mkdir(cur, 0o700)
		if errors.Is(err, os.ErrExist) {
			fi, statErr := os.Lstat(cur)
			if statErr != nil {
				return false, statErr
			}
			if !fi.IsDir() {
				return false, fmt.Errorf("%s exists and is not a directory", cur)
			}
			created = false
			continue
		}
		if err != nil {
			return false, err
		}
		// Chmod after Chown: chown clears the setuid and setgid bits, and Mkdir's mode went through the umask.
		if err := os.Lchown(cur, o.UID, o.GID); err != nil {
			return false, err
		}
		if err := os.Chmod(cur, o.Mode); err != nil {
			return false, err
		}
		created = true
	}
	return created, nil
}
