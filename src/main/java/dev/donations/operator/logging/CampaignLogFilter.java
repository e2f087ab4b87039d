package dev.donations.operator.logging;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Every line logged in a campaign's scope (a reconcile, a dependent's work, a poll) names the
 * campaign, the reconcile and the dependent, even after something on the thread removed them from
 * the MDC. JOSDK's event handling does that: it puts the event's campaign in the MDC and removes
 * {@code resource.namespace} and {@code resource.name} when it is done, on whatever thread handed
 * it the event, so a reconcile whose dependent or poll wakes a campaign on its own thread lost the
 * keys for the rest of its lines. The fields come from {@link CampaignLogContext}, which knows the
 * scope; a key the MDC still has (JOSDK's lines about another campaign) is left as it is.
 */
@LoggingFilter(name = CampaignLogFilter.NAME)
public final class CampaignLogFilter implements Filter {

  /** The name that {@code quarkus.log.*.filter} refers to. */
  public static final String NAME = "campaign-context";

  @Override
  public boolean isLoggable(LogRecord record) {
    if (record instanceof ExtLogRecord line) {
      CampaignLogContext.live()
          .forEach(
              (key, value) -> {
                if (value != null && line.getMdc(key) == null) {
                  line.putMdc(key, value);
                }
              });
    }
    return true;
  }
}
