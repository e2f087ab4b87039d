package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CampaignClassSpec;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignSpec;
import dev.donations.operator.api.v1alpha1.DatabaseClassSpec;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.api.v1alpha1.GatewayRefSpec;
import dev.donations.operator.api.v1alpha1.StorageDeletionPolicy;
import dev.donations.operator.campaign.CampaignResolver.Choices;
import dev.donations.operator.campaign.CampaignResolver.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What only the operator can check of a campaign against its class, in the order Ready lists the
 * problems (its reason is the first one's). Pure, like the resolver that runs it.
 */
final class CampaignChecks {

  /**
   * S3's limit on bucket names, which Route 53 failover's bucket named after the host must meet.
   */
  private static final int MAX_BUCKET_NAME = 63;

  private final CharityCampaign campaign;
  private final CharityCampaignSpec spec;
  private final CampaignClassSpec cls;
  private final Choices choices;
  private final List<Problem> problems = new ArrayList<>();

  private CampaignChecks(CharityCampaign campaign, CampaignClassSpec cls, Choices choices) {
    this.campaign = campaign;
    this.spec = campaign.getSpec();
    this.cls = cls;
    this.choices = choices;
  }

  /**
   * @param customPage the page from spec.fallback.htmlConfigMap, if it names one that exists
   * @param memoryMiB the memory of the chosen instance class, if known
   */
  static List<Problem> problems(
      CharityCampaign campaign,
      CampaignClassSpec cls,
      Choices choices,
      Collection<CharityCampaign> others,
      Optional<String> customPage,
      Optional<Integer> memoryMiB) {
    CampaignChecks checks = new CampaignChecks(campaign, cls, choices);
    checks.region();
    checks.sizes();
    checks.image();
    checks.deletionPolicies();
    checks.host(others);
    checks.restore();
    checks.routing();
    checks.page(customPage);
    checks.instanceClassMemory(memoryMiB);
    return checks.problems;
  }

  /**
   * A campaign never follows its class into another region: its data stays where it was created.
   */
  private void region() {
    Optional<String> recordedRegion = CampaignStatusFacts.region(campaign);
    if (recordedRegion.isPresent() && !recordedRegion.get().equals(cls.region)) {
      problem(
          "RegionChanged",
          "this campaign's database, files and bucket are in "
              + recordedRegion.get()
              + " but class "
              + spec.className
              + " is in "
              + cls.region
              + "; set spec.className back to a class in "
              + recordedRegion.get()
              + " (moving a campaign between regions is a restore from its final snapshot, not an edit)");
    }
  }

  /**
   * The database's instance class and size, the replicas and the workers, within the class's
   * limits.
   */
  private void sizes() {
    if (!cls.database.allowedInstanceClasses.contains(choices.instanceClass())) {
      problem(
          "InstanceClassNotAllowed",
          "spec.database.instanceClass "
              + choices.instanceClass()
              + " is not allowed by class "
              + spec.className
              + "; choose one of "
              + cls.database.allowedInstanceClasses);
    }
    if (spec.database.storageGiB > cls.database.maxStorageGiB) {
      problem(
          "StorageTooLarge",
          "spec.database.storageGiB "
              + spec.database.storageGiB
              + " exceeds the class maximum of "
              + cls.database.maxStorageGiB);
    }
    if (spec.scaling.maxReplicas > cls.limits.maxReplicas) {
      problem(
          "TooManyReplicas",
          "spec.scaling.maxReplicas "
              + spec.scaling.maxReplicas
              + " exceeds the class maximum of "
              + cls.limits.maxReplicas);
    }
    if (spec.scaling.workersPerPod > cls.limits.maxWorkersPerPod) {
      problem(
          "TooManyWorkers",
          "spec.scaling.workersPerPod "
              + spec.scaling.workersPerPod
              + " exceeds the class maximum of "
              + cls.limits.maxWorkersPerPod);
    }
  }

  private void image() {
    if (spec.site.image != null
        && !spec.site.image.equals(cls.images.wordpress)
        && !cls.images.allowSiteImageOverride) {
      problem(
          "ImageOverrideNotAllowed",
          "class "
              + spec.className
              + " does not allow spec.site.image; remove it to use "
              + choices.siteImage());
    }
    if (choices.siteImage() == null || choices.siteImage().isBlank()) {
      problem(
          "NoSiteImage",
          "class "
              + spec.className
              + " sets no images.wordpress and the campaign sets no site.image");
    }
  }

  private void deletionPolicies() {
    if (choices.databaseDeletion() == DatabaseDeletionPolicy.Delete
        && !cls.deletion.allowDatabaseDelete) {
      problem(
          "DeletionPolicyNotAllowed",
          "class "
              + spec.className
              + " does not allow spec.deletion.database Delete; use Snapshot or Retain");
    }
    if (choices.storageDeletion() == StorageDeletionPolicy.Delete
        && !cls.deletion.allowStorageDelete) {
      problem(
          "DeletionPolicyNotAllowed",
          "class " + spec.className + " does not allow spec.deletion.storage Delete; use Retain");
    }
  }

  private void host(Collection<CharityCampaign> others) {
    hostOwner(campaign, others)
        .ifPresent(
            owner ->
                problem(
                    "HostConflict",
                    "host "
                        + spec.site.host
                        + " is already used by campaign "
                        + owner.getMetadata().getNamespace()
                        + "/"
                        + owner.getMetadata().getName()
                        + "; choose another spec.site.host"));
  }

  /** Only before the database exists: once it does, the field no longer matters. */
  private void restore() {
    if (spec.database.restoreFromSnapshot != null
        && cls.database.restoreFrom == DatabaseClassSpec.RestorePolicy.Disabled
        && !CampaignStatusFacts.databaseSeen(campaign)) {
      problem(
          "RestoreNotAllowed",
          "class "
              + spec.className
              + " does not allow restoring from snapshots (database.restoreFrom Disabled);"
              + " remove spec.database.restoreFromSnapshot or use a class that allows it");
    }
  }

  /** What the class's route and failover need of the host and its certificate. */
  private void routing() {
    if (spec.site.tlsSecretName != null
        && cls.ingress.provider.gateway()
        && !cls.ingress.keepIngress) {
      GatewayRefSpec gw = cls.ingress.gateway;
      problem(
          "TlsAtGateway",
          "class "
              + spec.className
              + " routes through Gateway "
              + (gw == null ? "?" : gw.namespace + "/" + gw.name)
              + ", whose listener holds the certificate; remove spec.site.tlsSecretName (ops add the host's"
              + " certificate to the Gateway)");
    }
    if (cls.fallback.failover != null
        && cls.fallback.failover.route53 != null
        && spec.site.host.length() > MAX_BUCKET_NAME) {
      problem(
          "HostTooLongForRoute53Failover",
          "class "
              + spec.className
              + " uses Route 53 failover, which serves the page from an S3 bucket named after the"
              + " host, and bucket names have at most "
              + MAX_BUCKET_NAME
              + " characters: choose a shorter spec.site.host"
              + " or a class with CloudFront failover");
    }
  }

  private void page(Optional<String> customPage) {
    var ref = spec.fallback.htmlConfigMap;
    if (ref != null && customPage.isEmpty()) {
      problem(
          "FallbackPageNotFound",
          "ConfigMap "
              + ref.name
              + " with key "
              + ref.key
              + " not found; create it with the label "
              + CampaignLabels.FALLBACK_PAGE_LABEL
              + "=true or remove spec.fallback.htmlConfigMap");
    }
  }

  /**
   * The connection budget needs the instance's memory (an instance class the class does not allow
   * is reported above).
   */
  private void instanceClassMemory(Optional<Integer> memoryMiB) {
    if (memoryMiB.isEmpty()
        && cls.database.allowedInstanceClasses.contains(choices.instanceClass())) {
      problem(
          "InstanceClassMemoryUnknown",
          "the memory of "
              + choices.instanceClass()
              + " is unknown, so its connection limit cannot be checked; add it to"
              + " spec.database.instanceClassMemoryMiB of class "
              + spec.className);
    }
  }

  private void problem(String reason, String message) {
    problems.add(new Problem(reason, message));
  }

  /** The campaign that owns the host when it is not this one: the oldest claim wins. */
  static Optional<CharityCampaign> hostOwner(
      CharityCampaign campaign, Collection<CharityCampaign> others) {
    String host = campaign.getSpec().site.host;
    Comparator<CharityCampaign> oldestFirst =
        Comparator.comparing((CharityCampaign c) -> c.getMetadata().getCreationTimestamp())
            .thenComparing(c -> c.getMetadata().getNamespace())
            .thenComparing(c -> c.getMetadata().getName());
    return others.stream()
        .filter(
            o ->
                o.getSpec() != null
                    && o.getSpec().site != null
                    && host.equals(o.getSpec().site.host))
        .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
        .filter(o -> !o.getMetadata().getUid().equals(campaign.getMetadata().getUid()))
        .filter(o -> oldestFirst.compare(o, campaign) < 0)
        .min(oldestFirst);
  }
}
