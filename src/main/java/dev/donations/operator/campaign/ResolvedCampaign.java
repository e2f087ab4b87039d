package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.DatabaseClassSpec.Engine;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.api.v1alpha1.StorageDeletionPolicy;
import dev.donations.operator.api.v1alpha1.ImagesSpec.SiteFlavour;
import dev.donations.operator.campaign.app.PeakSchedule;
import dev.donations.operator.campaign.database.ConnectionBudget;
import java.util.List;

/**
 * A campaign with its class applied: every setting a dependent needs, already validated. Dependents read
 * it from the workflow context and never look at the class themselves.
 */
public record ResolvedCampaign(
    CharityCampaign campaign,
    String className,
    String region,
    Database database,
    Storage storage,
    Site site,
    Fallback fallback,
    Scaling scaling,
    ConnectionBudget budget,
    PeakSchedule peaks,
    DatabaseDeletionPolicy databaseDeletion,
    StorageDeletionPolicy storageDeletion) {

  /** Key under which the reconciler puts it into the workflow context. */
  public static final String CONTEXT_KEY = "resolved-campaign";

  /** RDS settings. */
  public record Database(
      String identifier,
      Engine engine,
      String engineVersion,
      String instanceClass,
      int storageGiB,
      boolean multiAz,
      String subnetGroupName,
      List<String> securityGroupIds,
      String parameterGroup,
      String parameterGroupFamily) {}

  /** EFS settings. */
  public record Storage(List<String> subnetIds, List<String> securityGroupIds) {}

  /** Site settings. */
  public record Site(
      String image,
      SiteFlavour flavour,
      String host,
      String ingressClassName,
      String ingressControllerNamespace,
      List<String> httpsEgressCidrs,
      dev.donations.operator.api.v1alpha1.AutoscalingClassSpec autoscaling,
      SiteDefaults pods) {}

  /**
   * The replica range in force now: the peak window's floor, the connection budget's ceiling, whether
   * scale-in is frozen, and the headroom pods.
   */
  public record Scaling(int minReplicas, int maxReplicas, boolean scaleInFrozen, int headroomReplicas, int workersPerPod) {}

  /**
   * Fallback page settings: the page itself, where it goes, and the class's failover to it (null: none).
   */
  public record Fallback(
      String nginxImage, String bucket, String html, dev.donations.operator.api.v1alpha1.FailoverClassSpec failover) {}
}
