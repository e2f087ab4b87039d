package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.DatabaseClassSpec.Engine;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.api.v1alpha1.ImagesSpec.SiteFlavour;
import dev.donations.operator.api.v1alpha1.StorageDeletionPolicy;
import dev.donations.operator.campaign.app.PeakSchedule;
import dev.donations.operator.campaign.database.ConnectionBudget;
import java.util.List;

/**
 * A campaign with its class applied: every setting a dependent needs, already validated. Dependents
 * read it from the workflow context and never look at the class themselves.
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
      String parameterGroupFamily,
      String restoreFromSnapshot,
      dev.donations.operator.api.v1alpha1.DatabaseClassSpec.RestorePolicy restoreFrom) {}

  /** EFS settings. */
  public record Storage(List<String> subnetIds, List<String> securityGroupIds) {}

  /** Site settings. */
  public record Site(
      String image,
      SiteFlavour flavour,
      String host,
      Routing routing,
      List<String> httpsEgressCidrs,
      dev.donations.operator.api.v1alpha1.AutoscalingClassSpec autoscaling,
      SiteDefaults pods) {}

  /**
   * How visitors reach the site: the provider's objects, the Gateway routes attach to (null for
   * ingress-nginx), whether the Ingress stays beside the route, which namespaces' proxies may reach
   * the pods, and from which address blocks a proxy outside the cluster may.
   */
  public record Routing(
      dev.donations.operator.api.v1alpha1.RouteProvider provider,
      String ingressClassName,
      boolean keepIngress,
      Gateway gateway,
      List<String> proxyNamespaces,
      List<String> proxyCidrs) {

    /**
     * Whether the Ingress is written: the provider is ingress-nginx, or it is kept while migrating.
     */
    public boolean ingress() {
      return !provider.gateway() || keepIngress;
    }
  }

  /** A Gateway's reference as an HTTPRoute's parentRef needs it. */
  public record Gateway(String name, String namespace, String sectionName, boolean https) {}

  /**
   * The replica range in force now: the peak window's floor, the connection budget's ceiling,
   * whether scale-in is frozen, and the headroom pods.
   */
  public record Scaling(
      int minReplicas,
      int maxReplicas,
      boolean scaleInFrozen,
      int headroomReplicas,
      int workersPerPod) {}

  /**
   * Fallback page settings: the page itself, where it goes, and the class's failover to it (null:
   * none).
   */
  public record Fallback(
      String nginxImage,
      String bucket,
      String html,
      dev.donations.operator.api.v1alpha1.FailoverClassSpec failover) {}
}
