package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.CompactItemStore;
import dev.donations.operator.campaign.database.Passwords;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Map;

/**
 * The WordPress administrator account that the site image's install step creates in a new
 * campaign's empty database, so the site is usable without anyone clicking through WordPress's
 * installer. The password is generated once and never updated: the install step uses it only once,
 * and an owner may change it in WordPress afterwards.
 */
@KubernetesDependent(
    createResourceOnlyIfNotExistingWithSSA = true,
    informer =
        @Informer(
            itemStore = CompactItemStore.class,
            name = AdminSecret.NAME,
            labelSelector = CampaignLabels.SITE_SELECTOR))
public class AdminSecret extends GeneratedSecret {

  public static final String NAME = "admin-secret";
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  public static final String ADMIN_USER = "admin";

  @Override
  protected String name(CharityCampaign campaign) {
    return CampaignNames.adminSecret(campaign);
  }

  @Override
  protected Map<String, String> generate() {
    return Map.of(USERNAME, ADMIN_USER, PASSWORD, Passwords.generate(32));
  }
}
