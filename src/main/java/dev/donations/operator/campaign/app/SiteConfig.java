package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.ImagesSpec.SiteFlavour;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.ResolvedCampaign;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * The web server's worker limit, set at the source from workersPerPod: Apache's MaxRequestWorkers
 * for mod_php images, php-fpm's pm.max_children for php-fpm images. The connection budget counts on
 * it: a pod can never open more database connections than it has workers.
 */
@KubernetesDependent(
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = SiteConfig.NAME,
            labelSelector = CampaignLabels.SITE_SELECTOR))
public class SiteConfig extends CampaignDependent<ConfigMap> {

  public static final String NAME = "site-config";
  public static final String KEY = "zz-donation-workers.conf";

  public SiteConfig() {
    super(ConfigMap.class, CampaignLabels.COMPONENT_SITE);
  }

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.siteConfig(campaign);
  }

  @Override
  protected ConfigMap desired(ResolvedCampaign campaign, Context<CharityCampaign> context) {
    return new ConfigMapBuilder()
        .withMetadata(metadata(campaign.campaign()))
        .withData(
            Map.of(KEY, render(campaign.site().flavour(), campaign.scaling().workersPerPod())))
        .build();
  }

  /** Where the file goes in the image: a config directory the server reads last, so it wins. */
  public static String mountPath(SiteFlavour flavour) {
    return switch (flavour) {
      case apache -> "/etc/apache2/conf-enabled/" + KEY;
      case phpFpm -> "/usr/local/etc/php-fpm.d/" + KEY;
    };
  }

  public static String render(SiteFlavour flavour, int workers) {
    return switch (flavour) {
      case apache ->
          """
          # Set by donation-operator from spec.scaling.workersPerPod: each worker may hold one database connection.
          <IfModule mpm_prefork_module>
            ServerLimit %1$d
            MaxRequestWorkers %1$d
          </IfModule>
          """
              .formatted(workers);
      case phpFpm ->
          """
          ; Set by donation-operator from spec.scaling.workersPerPod: each worker may hold one database connection.
          [www]
          pm = static
          pm.max_children = %d
          """
              .formatted(workers);
    };
  }
}
