package dev.donations.operator.campaign;

import dev.donations.operator.config.OperatorConfig;

/** Operator-wide settings that shape every campaign's pods, taken from {@link OperatorConfig}. */
public record SiteDefaults(
    String nginxImage,
    String pauseImage,
    int sitePort,
    String uploadsPath,
    String cpuRequest,
    String memory,
    long runAsUser) {

  public static SiteDefaults from(OperatorConfig config) {
    return new SiteDefaults(
        config.images().nginx(),
        config.images().pause(),
        config.site().port(),
        config.site().uploadsPath(),
        config.site().cpuRequest(),
        config.site().memory(),
        config.site().runAsUser());
  }
}
