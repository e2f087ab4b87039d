package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// motoLike answers DescribeAccessPoints the way moto does, for the region in the credential scope only.
func motoLike(t *testing.T, calls *atomic.Int32) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/2015-02-01/access-points" {
			t.Errorf("path %s", r.URL.Path)
		}
		if !strings.Contains(r.Header.Get("Authorization"), "/eu-west-1/elasticfilesystem/aws4_request") {
			w.Write([]byte(`{"AccessPoints": []}`))
			return
		}
		switch r.URL.Query().Get("AccessPointId") {
		case "fsap-456":
			w.Write([]byte(`{"AccessPoints": [{"AccessPointId": "fsap-456", "FileSystemId": "fs-123",
				"PosixUser": {"Uid": 33, "Gid": 33},
				"RootDirectory": {"Path": "/campaigns/x", "CreationInfo": {"OwnerUid": 33, "OwnerGid": 34, "Permissions": "0755"}},
				"LifeCycleState": "available"}]}`))
		case "fsap-noinfo":
			w.Write([]byte(`{"AccessPoints": [{"AccessPointId": "fsap-noinfo", "FileSystemId": "fs-123", "RootDirectory": {"Path": "/"}}]}`))
		default:
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"ErrorCode": "AccessPointNotFound"}`))
		}
	}))
}

func TestLookup(t *testing.T) {
	var calls atomic.Int32
	srv := motoLike(t, &calls)
	defer srv.Close()
	ctx := context.Background()

	a := &AccessPoints{Endpoint: srv.URL + "/", Region: "eu-west-1"}
	o, err := a.Lookup(ctx, "fs-123", "fsap-456")
	if err != nil {
		t.Fatal(err)
	}
	if o.UID != 33 || o.GID != 34 || o.Mode != 0o755 || o.Source != "aws" {
		t.Errorf("got %+v", o)
	}
	if _, err := a.Lookup(ctx, "fs-123", "fsap-456"); err != nil || calls.Load() != 1 {
		t.Errorf("second lookup: %v, %d calls, want the cached answer", err, calls.Load())
	}
	if o, err := a.Lookup(ctx, "fs-999", "fsap-456"); err == nil {
		t.Errorf("another file system's access point, after a cached answer: got %+v", o)
	}
	for _, ap := range []string{"fsap-missing", "fsap-noinfo"} {
		if o, err := a.Lookup(ctx, "fs-123", ap); err == nil {
			t.Errorf("%s: got %+v", ap, o)
		}
	}

	other := &AccessPoints{Endpoint: srv.URL, Region: "us-east-1"}
	if o, err := other.Lookup(ctx, "fs-123", "fsap-456"); err == nil {
		t.Errorf("wrong region: got %+v", o)
	}
	down := &AccessPoints{Endpoint: "http://127.0.0.1:1", Region: "eu-west-1"}
	if _, err := down.Lookup(ctx, "fs-123", "fsap-456"); err == nil {
		t.Error("unreachable endpoint: no error")
	}
	if _, err := (&AccessPoints{}).Lookup(ctx, "fs-123", "fsap-456"); err == nil {
		t.Error("no endpoint: no error")
	}
}

func TestFileMode(t *testing.T) {
	if m := fileMode(0o2775); m.Perm() != 0o775 || m&os.ModeSetgid == 0 || m&os.ModeSetuid != 0 {
		t.Errorf("0o2775 -> %v", m)
	}
}

func TestEnsureDir(t *testing.T) {
	root := t.TempDir()
	stop := filepath.Join(root, "fs-1")
	dir := filepath.Join(stop, "fsap-2", "a")
	uid, gid := os.Getuid(), os.Getgid()
	if uid == 0 {
		uid, gid = 33, 33
	}
	o := Owner{UID: uid, GID: gid, Mode: 0o750}
	created, err := ensureDir(stop, dir, o)
	if err != nil || !created {
		t.Fatalf("created=%t err=%v", created, err)
	}
	for _, p := range []string{filepath.Join(stop, "fsap-2"), dir} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		if fi.Mode().Perm() != 0o750 || int(st.Uid) != uid || int(st.Gid) != gid {
			t.Errorf("%s: %v %d:%d", p, fi.Mode(), st.Uid, st.Gid)
		}
	}
	if created, err := ensureDir(stop, dir, o); err != nil || created {
		t.Errorf("again: created=%t err=%v", created, err)
	}
	if created, err := ensureDir(stop, stop, o); err != nil || created {
		t.Errorf("stop itself: created=%t err=%v", created, err)
	}
	if _, err := ensureDir(stop, root, o); err == nil {
		t.Error("a dir above stop was accepted")
	}
	file := filepath.Join(stop, "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := ensureDir(stop, filepath.Join(file, "x"), o); err == nil {
		t.Error("a path through a file was accepted")
	}
}

func TestUnescapeMountInfo(t *testing.T) {
	for in, want := range map[string]string{
		`/a\040b`:   "/a b",
		`/plain`:    "/plain",
		`/tab\011x`: "/tab\tx",
		`/back\134`: `/back\`,
		`/short\04`: `/short\04`,
	} {
		if got := unescapeMountInfo(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
	m, ok := parseMountInfoLine(`36 35 98:0 /mnt1 /mnt/with\040space rw,noatime master:1 - ext3 /dev/root rw,errors=continue`)
	if !ok || m.MountPoint != "/mnt/with space" || m.ReadOnly() {
		t.Errorf("got %+v", m)
	}
}
