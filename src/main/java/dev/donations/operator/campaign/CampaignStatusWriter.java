package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import dev.donations.operator.api.v1alpha1.CharityCampaignStatus;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Puts a new status on the campaign only when it differs from the one it has, and records an Event
 * for each condition that flipped; JOSDK then patches it.
 */
@ApplicationScoped
public class CampaignStatusWriter {

  private final CampaignEvents events;

  public CampaignStatusWriter(CampaignEvents events) {
    this.events = events;
  }

  /** The update a reconcile returns: none when the status is unchanged. */
  UpdateControl<CharityCampaign> update(CharityCampaign campaign, CharityCampaignStatus status) {
    return changed(campaign, status)
        ? UpdateControl.patchStatus(campaign)
        : UpdateControl.noUpdate();
  }

  /** The update after a failed reconcile: none when the status is unchanged. */
  ErrorStatusUpdateControl<CharityCampaign> errorUpdate(
      CharityCampaign campaign, CharityCampaignStatus status) {
    return changed(campaign, status)
        ? ErrorStatusUpdateControl.patchStatus(campaign)
        : ErrorStatusUpdateControl.noStatusUpdate();
  }

  private boolean changed(CharityCampaign campaign, CharityCampaignStatus status) {
    CharityCampaignStatus previous = campaign.getStatus();
    if (StatusComparison.same(previous, status)) {
      return false;
    }
    events.transitions(campaign, previous, status);
    campaign.setStatus(status);
    return true;
  }
}
