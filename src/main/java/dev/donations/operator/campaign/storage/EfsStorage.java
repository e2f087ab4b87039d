package dev.donations.operator.campaign.storage;

import java.util.Map;
import java.util.Objects;

/**
 * A campaign's EFS storage as observed: the file system, its mount targets by subnet, and the
 * access point rooted at the campaign's directory. A class rather than a record: the operator SDK's
 * build step cannot index java.lang.Record.
 */
public final class EfsStorage {

  public static final String AVAILABLE = "available";

  private final String fileSystemId;
  private final String fileSystemState;
  private final Map<String, String> mountTargetStateBySubnet;
  private final String accessPointId;
  private final String accessPointState;

  public EfsStorage(
      String fileSystemId,
      String fileSystemState,
      Map<String, String> mountTargetStateBySubnet,
      String accessPointId,
      String accessPointState) {
    this.fileSystemId = fileSystemId;
    this.fileSystemState = fileSystemState;
    this.mountTargetStateBySubnet = Map.copyOf(mountTargetStateBySubnet);
    this.accessPointId = accessPointId;
    this.accessPointState = accessPointState;
  }

  public String fileSystemId() {
    return fileSystemId;
  }

  public String fileSystemState() {
    return fileSystemState;
  }

  public Map<String, String> mountTargetStateBySubnet() {
    return mountTargetStateBySubnet;
  }

  public String accessPointId() {
    return accessPointId;
  }

  public String accessPointState() {
    return accessPointState;
  }

  public boolean fileSystemAvailable() {
    return AVAILABLE.equals(fileSystemState);
  }

  public long availableMountTargets() {
    return mountTargetStateBySubnet.values().stream().filter(AVAILABLE::equals).count();
  }

  public boolean accessPointAvailable() {
    return accessPointId != null && AVAILABLE.equals(accessPointState);
  }

  /** The CSI volume handle: file system and access point. */
  public String volumeHandle() {
    return fileSystemId + "::" + accessPointId;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EfsStorage s
        && Objects.equals(fileSystemId, s.fileSystemId)
        && Objects.equals(fileSystemState, s.fileSystemState)
        && mountTargetStateBySubnet.equals(s.mountTargetStateBySubnet)
        && Objects.equals(accessPointId, s.accessPointId)
        && Objects.equals(accessPointState, s.accessPointState);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        fileSystemId, fileSystemState, mountTargetStateBySubnet, accessPointId, accessPointState);
  }

  @Override
  public String toString() {
    return "EfsStorage["
        + fileSystemId
        + " "
        + fileSystemState
        + ", mount targets "
        + mountTargetStateBySubnet
        + ", access point "
        + accessPointId
        + " "
        + accessPointState
        + "]";
  }
}
