package dev.donations.operator.campaign;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.timer.TimerEventSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last failed describe of each campaign's AWS resources, by dependent, until one succeeds: the
 * pollers write it, the reconciler reads it into the condition of the part it belongs to. A poller
 * that fails keeps the last observed state, so no change event would reach the campaign: a new
 * error, and its end, wake the campaign up through a timer event source instead, so status says it
 * at once.
 */
@ApplicationScoped
public class AwsPollErrors {

  public static final String SOURCE = "aws-poll-errors";

  /** The wake-up runs on the timer's thread, a millisecond later. */
  static final long WAKE_UP_DELAY_MS = 1;

  private final Map<String, String> errors = new ConcurrentHashMap<>();
  private final TimerEventSource<CharityCampaign> wakeUps = new TimerEventSource<>(SOURCE, true);

  /** The event source the reconciler registers. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public EventSource<?, CharityCampaign> eventSource() {
    return (EventSource) wakeUps;
  }

  void failed(String dependent, ResourceID campaign, String message) {
    if (!message.equals(errors.put(key(dependent, campaign), message))) {
      wakeUp(campaign);
    }
  }

  void succeeded(String dependent, ResourceID campaign) {
    if (errors.remove(key(dependent, campaign)) != null) {
      wakeUp(campaign);
    }
  }

  private void wakeUp(ResourceID campaign) {
    try {
      // Not 0: JOSDK handles a zero-delay event on the calling thread (a poller's, or a dependent's
      // in a reconcile), and its event handling removes the campaign's keys from that thread's log
      // context, so the poller's next line would not say which campaign it is about.
      wakeUps.scheduleOnce(campaign, WAKE_UP_DELAY_MS);
    } catch (RuntimeException e) {
      // Not started (a unit test, or the operator stopping): the next reconcile shows the error.
    }
  }

  boolean failing(String dependent, ResourceID campaign) {
    return errors.containsKey(key(dependent, campaign));
  }

  public Optional<String> last(String dependent, CharityCampaign campaign) {
    return Optional.ofNullable(errors.get(key(dependent, ResourceID.fromResource(campaign))));
  }

  private static String key(String dependent, ResourceID campaign) {
    return dependent + "/" + campaign;
  }
}
