package dev.donations.operator.campaign.app;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.campaign.CampaignDependent;
import dev.donations.operator.campaign.CampaignLabels;
import dev.donations.operator.campaign.CampaignNames;
import dev.donations.operator.campaign.database.Passwords;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * The WordPress administrator account that the site image's install step creates in a new campaign's empty
 * database, so the site is usable without anyone clicking through WordPress's installer. The password is
 * generated once and never updated: the install step uses it only once, and an owner may change it in
 * WordPress afterwards. Create-only, and only if it does not exist yet.
 */
@KubernetesDependent(
    createResourceOnlyIfNotExistingWithSSA = true,
    informer = @Informer(name = AdminSecret.NAME, labelSelector = CampaignLabels.SITE_SELECTOR))
public class AdminSecret extends KubernetesDependentResource<Secret, CharityCampaign>
    implements Creator<Secret, CharityCampaign>, GarbageCollected<CharityCampaign> {

  public static final String NAME = "admin-secret";
  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";
  public static final String ADMIN_USER = "admin";

  public AdminSecret() {
    super(Secret.class);
  }

  @Override
  protected Secret desired(CharityCampaign primary, Context<CharityCampaign> context) {
    CampaignDependent.resolved(context);
    return new SecretBuilder()
        .withMetadata(
            CampaignDependent.standardMetadata(primary, CampaignNames.adminSecret(primary), CampaignLabels.COMPONENT_SITE))
        .withType("Opaque")
        .withStringData(Map.of(USERNAME, ADMIN_USER, PASSWORD, Passwords.generate(32)))
        .build();
  }

  @Override
  protected ResourceID targetSecondaryResourceID(CharityCampaign primary, Context<CharityCampaign> context) {
    return new ResourceID(CampaignNames.adminSecret(primary), primary.getMetadata().getNamespace());
  }
}
