package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.DatabaseClassSpec.Engine;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.api.v1alpha1.StorageDeletionPolicy;
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
      List<String> securityGroupIds) {}

  /** EFS settings. */
  public record Storage(List<String> subnetIds, List<String> securityGroupIds) {}

  /** Site settings. */
  public record Site(
      String image,
      String host,
      String ingressClassName,
      String ingressControllerNamespace,
      SiteDefaults pods) {}

  /** Fallback page settings: the page itself and where it goes. */
  public record Fallback(String nginxImage, String bucket, String html) {}
}
