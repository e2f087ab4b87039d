package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CampaignClass;
import dev.donations.operator.api.v1alpha1.CampaignClassSpec;
import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignSpec;
import dev.donations.operator.api.v1alpha1.DatabaseDeletionPolicy;
import dev.donations.operator.api.v1alpha1.GatewayRefSpec;
import dev.donations.operator.api.v1alpha1.ImagesSpec;
import dev.donations.operator.api.v1alpha1.IngressClassSpec;
import dev.donations.operator.api.v1alpha1.SiteSpec;
import dev.donations.operator.api.v1alpha1.StorageDeletionPolicy;
import dev.donations.operator.campaign.app.PeakSchedule;
import dev.donations.operator.campaign.database.ConnectionBudget;
import dev.donations.operator.campaign.database.InstanceClassMemory;
import dev.donations.operator.campaign.fallback.FallbackPage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Applies a CampaignClass to a campaign and checks what only the operator can check
 * (CampaignChecks): the class exists, the choices are within the class, the host is not taken, a
 * referenced page exists. Pure: the caller passes in everything it needs.
 */
public final class CampaignResolver {

  private CampaignResolver() {}

  /**
   * A problem that the campaign owner (or ops) must fix; nothing new is created while there is one.
   */
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

  /** What the campaign gets where it may choose: its own choice, else the class's default. */
  record Choices(
      String instanceClass,
      String siteImage,
      DatabaseDeletionPolicy databaseDeletion,
      StorageDeletionPolicy storageDeletion) {

    static Choices of(CharityCampaignSpec spec, CampaignClassSpec cls) {
      return new Choices(
          spec.database.instanceClass != null
              ? spec.database.instanceClass
              : cls.database.defaultInstanceClass,
          CampaignResolver.siteImage(spec.site, cls.images),
          spec.deletion.database != null ? spec.deletion.database : cls.deletion.database,
          spec.deletion.storage != null ? spec.deletion.storage : cls.deletion.storage);
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
                  "CampaignClass '"
                      + spec.className
                      + "' does not exist: create it or set spec.className to an existing class")));
    }
    CampaignClassSpec cls = campaignClass.get().getSpec();
    Choices choices = Choices.of(spec, cls);
    Optional<String> customPage = customPage(spec, pageConfigMap);
    Optional<Integer> memory =
        InstanceClassMemory.mib(choices.instanceClass(), cls.database.instanceClassMemoryMiB);
    List<Problem> problems =
        CampaignChecks.problems(campaign, cls, choices, others, customPage, memory);
    if (!problems.isEmpty()) {
      return Resolution.failed(problems);
    }
    ConnectionBudget budget =
        ConnectionBudget.compute(
            memory.get(),
            spec.scaling.maxReplicas,
            spec.scaling.workersPerPod,
            cls.database.connectionReserve);
    PeakSchedule peaks = PeakSchedule.at(spec.peakWindows, now);
    return Resolution.of(
        new ResolvedCampaign(
            campaign,
            spec.className,
            cls.region,
            database(campaign, cls, choices),
            new ResolvedCampaign.Storage(
                List.copyOf(cls.storage.subnetIds), List.copyOf(cls.storage.securityGroupIds)),
            new ResolvedCampaign.Site(
                choices.siteImage(),
                cls.images.siteFlavour,
                spec.site.host,
                routing(cls.ingress),
                List.copyOf(cls.egress.httpsCidrs),
                cls.autoscaling,
                defaults),
            fallback(
                campaign,
                cls,
                customPage.orElseGet(() -> FallbackPage.render(spec.fallback)),
                defaults),
            scaling(spec, budget, peaks),
            budget,
            peaks,
            choices.databaseDeletion(),
            choices.storageDeletion()));
  }

  /** The campaign's own page from the ConfigMap it names, when that exists and has the key. */
  private static Optional<String> customPage(
      CharityCampaignSpec spec, Optional<ConfigMap> pageConfigMap) {
    var ref = spec.fallback.htmlConfigMap;
    if (ref == null) {
      return Optional.empty();
    }
    return pageConfigMap.map(ConfigMap::getData).map(d -> d.get(ref.key)).filter(s -> !s.isBlank());
  }

  private static ResolvedCampaign.Database database(
      CharityCampaign campaign, CampaignClassSpec cls, Choices choices) {
    CharityCampaignSpec spec = campaign.getSpec();
    return new ResolvedCampaign.Database(
        CampaignNames.databaseIdentifier(campaign),
        cls.database.engine,
        cls.database.engineVersion,
        choices.instanceClass(),
        spec.database.storageGiB,
        cls.database.multiAz,
        cls.database.subnetGroupName,
        List.copyOf(cls.database.securityGroupIds),
        CampaignNames.parameterGroup(campaign),
        parameterGroupFamily(cls.database.engine.name(), cls.database.engineVersion),
        spec.database.restoreFromSnapshot,
        cls.database.restoreFrom);
  }

  private static ResolvedCampaign.Fallback fallback(
      CharityCampaign campaign, CampaignClassSpec cls, String html, SiteDefaults defaults) {
    String nginxImage =
        cls.images.nginx != null && !cls.images.nginx.isBlank()
            ? cls.images.nginx
            : defaults.nginxImage();
    return new ResolvedCampaign.Fallback(
        nginxImage, bucket(campaign, cls.fallback.bucketPrefix), html, cls.fallback.failover);
  }

  /**
   * The floor (raised by an active peak window) within the ceiling that the connection budget
   * allows.
   */
  private static ResolvedCampaign.Scaling scaling(
      CharityCampaignSpec spec, ConnectionBudget budget, PeakSchedule peaks) {
    int floor =
        Math.max(spec.scaling.minReplicas, peaks.active().map(w -> w.minReplicas).orElse(0));
    int ceiling = budget.effectiveMaxReplicas();
    int headroom =
        !spec.scaling.headroomDuringPeaksOnly || peaks.active().isPresent()
            ? spec.scaling.headroomReplicas
            : 0;
    return new ResolvedCampaign.Scaling(
        Math.min(floor, ceiling), ceiling, peaks.started(), headroom, spec.scaling.workersPerPod);
  }

  /**
   * The class's routing settings; the proxies' namespaces are the ingress controller's and the
   * Gateway's.
   */
  static ResolvedCampaign.Routing routing(IngressClassSpec ingress) {
    GatewayRefSpec ref = ingress.provider.gateway() ? ingress.gateway : null;
    LinkedHashSet<String> proxies = new LinkedHashSet<>();
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
        ref == null
            ? null
            : new ResolvedCampaign.Gateway(ref.name, ref.namespace, ref.sectionName, ref.https),
        List.copyOf(proxies),
        ingress.sourceCidrs == null ? List.of() : List.copyOf(ingress.sourceCidrs));
  }

  /**
   * The bucket recorded in status, so a changed class prefix never orphans a bucket; else a new
   * name.
   */
  static String bucket(CharityCampaign campaign, String prefix) {
    return Optional.ofNullable(campaign.getStatus())
        .map(s -> s.fallbackBucket)
        .orElseGet(() -> CampaignNames.fallbackBucket(campaign, prefix));
  }

  /**
   * DB parameter group family: the engine and its major.minor version, e.g. mysql8.0 or
   * mariadb10.11.
   */
  static String parameterGroupFamily(String engine, String version) {
    String[] parts = version.split("\\.");
    return engine + parts[0] + "." + (parts.length > 1 ? parts[1] : "0");
  }

  /** The site's image: the campaign's own where its class allows that, else the class's. */
  static String siteImage(SiteSpec site, ImagesSpec images) {
    return site.image != null && images.allowSiteImageOverride ? site.image : images.wordpress;
  }
}
