package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The site images in use, which the image pre-pull keeps warm on every node: a campaign's image is
 * its own where its class allows that, else its class's.
 */
final class SiteImages {

  private SiteImages() {}

  /** The site images of every campaign the operator sees. */
  static Set<String> inUse(Context<CharityCampaign> context) {
    return inUseWithout(context, null);
  }

  /**
   * The site images of every campaign the operator sees except one being deleted (none when null).
   */
  static Set<String> inUseWithout(Context<CharityCampaign> context, CharityCampaign leaving) {
    var classes = CampaignEventSources.classes(context);
    return context
        .getPrimaryCache()
        .list()
        .filter(
            c ->
                leaving == null || !c.getMetadata().getUid().equals(leaving.getMetadata().getUid()))
        .flatMap(
            c ->
                classes.get(new ResourceID(c.getSpec().className)).stream()
                    .map(cls -> CampaignResolver.siteImage(c.getSpec().site, cls.getSpec().images)))
        .filter(Objects::nonNull)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
