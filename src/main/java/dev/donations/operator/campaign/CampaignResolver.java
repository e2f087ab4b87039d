package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CampaignClassSpec;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignSpec;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.api.v1alpha1.GatewayRefSpec;
import dev.donations.operator.api.v1alpha1.IngressClassSpec;
import dev.donations.operator.api.v1alpha1.ImagesSpec;
import dev.donations.operator.api.v1alpha1.SiteSpec;
import dev.donations.operator.api.v1alpha1.StorageDeletionPolicy;
import dev.donations.operator.campaign.app.PeakSchedule;
import dev.donations.operator.campaign.database.ConnectionBudget;
import dev.donations.operator.campaign.database.InstanceClassMemory;
import dev.donations.operator.campaign.fallback.FallbackPage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Applies a CampaignClass to a campaign and checks what only the operator can check: the class exists,
 * the choices are within the class, the host is not taken, a referenced page exists. Pure: the caller
 * passes in everything it needs.
 */
public final class CampaignResolver {

  /** S3's limit on bucket names, which Route 53 failover's bucket named after the host must meet. */
  private static final int MAX_BUCKET_NAME = 63;

  private CampaignResolver() {}

  /** A problem that the campaign owner (or ops) must fix; nothing new is created while there is one. */
  public record Problem(String reason, String message) {}

  /** Either a resolved campaign or the problems that stop it. */
  public record Resolution(Optional<ResolvedCampaign> resolved, List<Problem> problems) {
    static Resolution of(ResolvedCampaign r) {
      return new Resolution(Optional.of(r), List.of());
    }

    static Resolution failed(List<Problem> problems) {
      return new Resolution(Optional.empty(), List.copyOf(problems));
    }
  }

  /**
   * @param others every other campaign the operator sees (for the host check)
   * @param pageConfigMap the ConfigMap named by spec.fallback.htmlConfigMap, if it exists
   * @param defaults the operator's configured images and pod settings
   * @param now the time, for peak windows (the reconciler reads the clock; this class does not)
   */
  public static Resolution resolve(
      CharityCampaign campaign,
      Optional<CampaignClass> campaignClass,
      Collection<CharityCampaign> others,
      Optional<ConfigMap> pageConfigMap,
      SiteDefaults defaults,
      Instant now) {
    CharityCampaignSpec spec = campaign.getSpec();
    if (campaignClass.isEmpty()) {
      return Resolution.failed(
          List.of(
              new Problem(
                  "ClassNotFound",
                  "CampaignClass '" + spec.className + "' does not exist: create it or set spec.className to an existing class")));
    }
    CampaignClassSpec cls = campaignClass.get().getSpec();
    List<Problem> problems = new ArrayList<>();
    Optional<String> recordedRegion = CampaignStatusFacts.region(campaign);
    if (recordedRegion.isPresent() && !recordedRegion.get().equals(cls.region)) {
      problems.add(
          new Problem(
              "RegionChanged",
              "this campaign's database, files and bucket are in " + recordedRegion.get() + " but class " + spec.className
                  + " is in " + cls.region + "; set spec.className back to a class in " + recordedRegion.get()
                  + " (moving a campaign between regions is a restore from its final snapshot, not an edit)"));
    }

    String instanceClass =
        spec.database.instanceClass != null ? spec.database.instanceClass : cls.database.defaultInstanceClass;
    if (!cls.database.allowedInstanceClasses.contains(instanceClass)) {
      problems.add(
          new Problem(
              "InstanceClassNotAllowed",
              "spec.database.instanceClass " + instanceClass + " is not allowed by class " + spec.className
                  + "; choose one of " + cls.database.allowedInstanceClasses));
    }
    if (spec.database.storageGiB > cls.database.maxStorageGiB) {
      problems.add(
          new Problem(
              "StorageTooLarge",
              "spec.database.storageGiB " + spec.database.storageGiB + " exceeds the class maximum of "
                  + cls.database.maxStorageGiB));
    }
    if (spec.scaling.maxReplicas > cls.limits.maxReplicas) {
      problems.add(
          new Problem(
              "TooManyReplicas",
              "spec.scaling.maxReplicas " + spec.scaling.maxReplicas + " exceeds the class maximum of "
                  + cls.limits.maxReplicas));
    }
    if (spec.scaling.workersPerPod > cls.limits.maxWorkersPerPod) {
      problems.add(
          new Problem(
              "TooManyWorkers",
              "spec.scaling.workersPerPod " + spec.scaling.workersPerPod + " exceeds the class maximum of "
                  + cls.limits.maxWorkersPerPod));
    }
    String siteImage = siteImage(spec.site, cls.images);
    if (spec.site.image != null && !spec.site.image.equals(cls.images.wordpress) && !cls.images.allowSiteImageOverride) {
      problems.add(
          new Problem(
              "ImageOverrideNotAllowed",
              "class " + spec.className + " does not allow spec.site.image; remove it to use " + siteImage));
    }
    if (siteImage == null || siteImage.isBlank()) {
      problems.add(
          new Problem(
              "NoSiteImage", "class " + spec.className + " sets no images.wordpress and the campaign sets no site.image"));
    }
    DatabaseDeletionPolicy dbPolicy =
        spec.deletion.database != null ? spec.deletion.database : cls.deletion.database;
    if (dbPolicy == DatabaseDeletionPolicy.Delete && !cls.deletion.allowDatabaseDelete) {
      problems.add(
          new Problem(
              "DeletionPolicyNotAllowed",
              "class " + spec.className + " does not allow spec.deletion.database Delete; use Snapshot or Retain"));
    }
    StorageDeletionPolicy storagePolicy =
        spec.deletion.storage != null ? spec.deletion.storage : cls.deletion.storage;
    if (storagePolicy == StorageDeletionPolicy.Delete && !cls.deletion.allowStorageDelete) {
      problems.add(
          new Problem(
              "DeletionPolicyNotAllowed",
              "class " + spec.className + " does not allow spec.deletion.storage Delete; use Retain"));
    }
    hostOwner(campaign, others)
        .ifPresent(
            owner ->
                problems.add(
                    new Problem(
                        "HostConflict",
                        "host " + spec.site.host + " is already used by campaign " + owner.getMetadata().getNamespace()
                            + "/" + owner.getMetadata().getName() + "; choose another spec.site.host")));
    if (spec.database.restoreFromSnapshot != null
        && cls.database.restoreFrom == dev.donations.operator.api.v1alpha1.DatabaseClassSpec.RestorePolicy.Disabled
        && !CampaignStatusFacts.databaseSeen(campaign)) {
      problems.add(
          new Problem(
              "RestoreNotAllowed",
              "class " + spec.className + " does not allow restoring from snapshots (database.restoreFrom Disabled);"
                  + " remove spec.database.restoreFromSnapshot or use a class that allows it"));
    }
    if (spec.site.tlsSecretName != null && cls.ingress.provider.gateway() && !cls.ingress.keepIngress) {
      GatewayRefSpec gw = cls.ingress.gateway;
      problems.add(
          new Problem(
              "TlsAtGateway",
              "class " + spec.className + " routes through Gateway " + (gw == null ? "?" : gw.namespace + "/" + gw.name)
                  + ", whose listener holds the certificate; remove spec.site.tlsSecretName (ops add the host's"
                  + " certificate to the Gateway)"));
    }
    if (cls.fallback.failover != null && cls.fallback.failover.route53 != null && spec.site.host.length() > MAX_BUCKET_NAME) {
      problems.add(
          new Problem(
              "HostTooLongForRoute53Failover",
              "class " + spec.className + " uses Route 53 failover, which serves the page from an S3 bucket named after the"
                  + " host, and bucket names have at most " + MAX_BUCKET_NAME + " characters: choose a shorter spec.site.host"
                  + " or a class with CloudFront failover"));
    }
    String html = FallbackPage.render(spec.fallback);
    if (spec.fallback.htmlConfigMap != null) {
      var ref = spec.fallback.htmlConfigMap;
      Optional<String> custom =
          pageConfigMap.map(ConfigMap::getData).map(d -> d.get(ref.key)).filter(s -> !s.isBlank());
      if (custom.isEmpty()) {
        problems.add(
            new Problem(
                "FallbackPageNotFound",
                "ConfigMap " + ref.name + " with key " + ref.key + " not found; create it with the label "
                    + CampaignLabels.FALLBACK_PAGE_LABEL + "=true or remove spec.fallback.htmlConfigMap"));
      } else {
        html = custom.get();
      }
    }
    Optional<Integer> memory = InstanceClassMemory.mib(instanceClass, cls.database.instanceClassMemoryMiB);
    if (memory.isEmpty() && cls.database.allowedInstanceClasses.contains(instanceClass)) {
      problems.add(
          new Problem(
              "InstanceClassMemoryUnknown",
              "the memory of " + instanceClass + " is unknown, so its connection limit cannot be checked; add it to"
                  + " spec.database.instanceClassMemoryMiB of class " + spec.className));
    }
    if (!problems.isEmpty()) {
      return Resolution.failed(problems);
    }
    ConnectionBudget budget =
        ConnectionBudget.compute(memory.get(), spec.scaling.maxReplicas, spec.scaling.workersPerPod, cls.database.connectionReserve);
    PeakSchedule peaks = PeakSchedule.at(spec.peakWindows, now);
    int floor = Math.max(spec.scaling.minReplicas, peaks.active().map(w -> w.minReplicas).orElse(0));
    int ceiling = budget.effectiveMaxReplicas();
    int headroom = !spec.scaling.headroomDuringPeaksOnly || peaks.active().isPresent() ? spec.scaling.headroomReplicas : 0;
    ResolvedCampaign.Scaling scaling =
        new ResolvedCampaign.Scaling(Math.min(floor, ceiling), ceiling, peaks.started(), headroom, spec.scaling.workersPerPod);
    String identifier = CampaignNames.databaseIdentifier(campaign);
    String nginxImage = cls.images.nginx != null && !cls.images.nginx.isBlank() ? cls.images.nginx : defaults.nginxImage();
    return Resolution.of(
        new ResolvedCampaign(
            campaign,
            spec.className,
            cls.region,
            new ResolvedCampaign.Database(
                identifier,
                cls.database.engine,
                cls.database.engineVersion,
                instanceClass,
                spec.database.storageGiB,
                cls.database.multiAz,
                cls.database.subnetGroupName,
                List.copyOf(cls.database.securityGroupIds),
                CampaignNames.parameterGroup(campaign),
                parameterGroupFamily(cls.database.engine.name(), cls.database.engineVersion),
                spec.database.restoreFromSnapshot,
                cls.database.restoreFrom),
            new ResolvedCampaign.Storage(List.copyOf(cls.storage.subnetIds), List.copyOf(cls.storage.securityGroupIds)),
            new ResolvedCampaign.Site(
                siteImage, cls.images.siteFlavour, spec.site.host, routing(cls.ingress),
                List.copyOf(cls.egress.httpsCidrs), cls.autoscaling, defaults),
            new ResolvedCampaign.Fallback(
                nginxImage, bucket(campaign, cls.fallback.bucketPrefix), html, cls.fallback.failover),
            scaling,
            budget,
            peaks,
            dbPolicy,
            storagePolicy));
  }

  /** The class's routing settings; the proxies' namespaces are the ingress controller's and the Gateway's. */
  static ResolvedCampaign.Routing routing(IngressClassSpec ingress) {
    GatewayRefSpec ref = ingress.provider.gateway() ? ingress.gateway : null;
    java.util.LinkedHashSet<String> proxies = new java.util.LinkedHashSet<>();
    if (ref == null || ingress.keepIngress) {
      proxies.add(ingress.controllerNamespace);
    }
    if (ref != null) {
      proxies.add(ref.proxyNamespace != null ? ref.proxyNamespace : ref.namespace);
    }
    return new ResolvedCampaign.Routing(
        ingress.provider,
        ingress.className,
        ingress.keepIngress,
        ref == null ? null : new ResolvedCampaign.Gateway(ref.name, ref.namespace, ref.sectionName, ref.https),
        List.copyOf(proxies));
  }

  /** The bucket recorded in status, so a changed class prefix never orphans a bucket; else a new name. */
  static String bucket(CharityCampaign campaign, String prefix) {
    return Optional.ofNullable(campaign.getStatus())
        .map(s -> s.fallbackBucket)
        .orElseGet(() -> CampaignNames.fallbackBucket(campaign, prefix));
  }

  /** DB parameter group family: the engine and its major.minor version, e.g. mysql8.0 or mariadb10.11. */
  static String parameterGroupFamily(String engine, String version) {
    String[] parts = version.split("\\.");
    return engine + parts[0] + "." + (parts.length > 1 ? parts[1] : "0");
  }

  /** The campaign that owns the host when it is not this one: the oldest claim wins. */
  static Optional<CharityCampaign> hostOwner(CharityCampaign campaign, Collection<CharityCampaign> others) {
    String host = campaign.getSpec().site.host;
    Comparator<CharityCampaign> oldestFirst =
        Comparator.comparing((CharityCampaign c) -> c.getMetadata().getCreationTimestamp())
            .thenComparing(c -> c.getMetadata().getNamespace())
            .thenComparing(c -> c.getMetadata().getName());
    return others.stream()
        .filter(o -> o.getSpec() != null && o.getSpec().site != null && host.equals(o.getSpec().site.host))
        .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
        .filter(o -> !o.getMetadata().getUid().equals(campaign.getMetadata().getUid()))
        .filter(o -> oldestFirst.compare(o, campaign) < 0)
        .min(oldestFirst);
  }

  /** The site's image: the campaign's own where its class allows that, else the class's. */
  static String siteImage(SiteSpec site, ImagesSpec images) {
    return site.image != null && images.allowSiteImageOverride ? site.image : images.wordpress;
  }
}
