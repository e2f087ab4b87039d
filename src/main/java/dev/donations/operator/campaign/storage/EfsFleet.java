package dev.donations.operator.campaign.storage;

import dev.donations.operator.aws.AwsClients;
import dev.donations.operator.aws.RegionSnapshot;
import dev.donations.operator.config.OperatorConfig;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.efs.model.AccessPointDescription;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;

/**
 * Every campaign's settled EFS storage seen through two listings per region, shared by all
 * campaigns: DescribeFileSystems (by creation token) and DescribeAccessPoints without a file system
 * (every access point of the account in the region, by client token), 100 a page, at most once per
 * steady period. Mount targets have no such listing; a file system's NumberOfMountTargets tells
 * when to describe them.
 */
// A singleton, not @ApplicationScoped: dependents read its fields, which a client proxy would not
// carry.
@Singleton
public class EfsFleet {

  static final int PAGE = 100;

  /** A file system as listed. */
  record FileSystem(String id, String state, int mountTargets) {}

  /** An access point as listed. */
  record AccessPoint(String id, String fileSystemId, String state) {}

  final RegionSnapshot<FileSystem> fileSystems;
  final RegionSnapshot<AccessPoint> accessPoints;

  public EfsFleet(AwsClients aws, OperatorConfig config) {
    fileSystems =
        new RegionSnapshot<>(
            "EFS file systems",
            region -> listFileSystems(aws, region),
            () -> RegionSnapshot.maxAge(config.polling().steady()),
            () -> config.polling().provisioning());
    accessPoints =
        new RegionSnapshot<>(
            "EFS access points",
            region -> listAccessPoints(aws, region),
            () -> RegionSnapshot.maxAge(config.polling().steady()),
            () -> config.polling().provisioning());
  }

  static FileSystem of(FileSystemDescription fs) {
    return new FileSystem(
        fs.fileSystemId(),
        fs.lifeCycleStateAsString(),
        fs.numberOfMountTargets() == null ? 0 : fs.numberOfMountTargets());
  }

  static AccessPoint of(AccessPointDescription ap) {
    return new AccessPoint(ap.accessPointId(), ap.fileSystemId(), ap.lifeCycleStateAsString());
  }

  private static Map<String, FileSystem> listFileSystems(AwsClients aws, String region) {
    Map<String, FileSystem> found = new HashMap<>();
    for (FileSystemDescription fs :
        aws.efs(region).describeFileSystemsPaginator(b -> b.maxItems(PAGE)).fileSystems()) {
      if (fs.creationToken() != null) {
        found.put(fs.creationToken(), of(fs));
      }
    }
    return found;
  }

  private static Map<String, AccessPoint> listAccessPoints(AwsClients aws, String region) {
    Map<String, AccessPoint> found = new HashMap<>();
    for (AccessPointDescription ap :
        aws.efs(region).describeAccessPointsPaginator(b -> b.maxResults(PAGE)).accessPoints()) {
      if (ap.clientToken() != null) {
        found.put(ap.clientToken(), of(ap));
      }
    }
    return found;
  }
}
