package dev.donations.operator.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.donations.operator.api.v1alpha1.CharityCampaign;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

class AwsPollErrorsTest {

  @Test
  void aWakeUpLeavesThePollersLogContextAsItWas() throws InterruptedException {
    AwsPollErrors errors = new AwsPollErrors();
    @SuppressWarnings("unchecked")
    EventSource<?, CharityCampaign> source = errors.eventSource();
    CountDownLatch woken = new CountDownLatch(1);
    // What JOSDK's event processor does with the log context while it handles an event.
    EventHandler handler =
        new EventHandler() {
          @Override
          public void handleEvent(Event event) {
            MDC.remove("resource.namespace");
            MDC.remove("resource.name");
            woken.countDown();
          }
        };
    source.setEventHandler(handler);
    source.start();
    try {
      MDC.put("resource.namespace", "radio");
      MDC.put("resource.name", "song-request");
      errors.failed("database", new ResourceID("song-request", "radio"), "Rate exceeded");
      assertThat(MDC.get("resource.namespace"))
          .as("the poller's next line still names the campaign")
          .isEqualTo("radio");
      assertThat(woken.await(5, TimeUnit.SECONDS)).as("the campaign was woken up").isTrue();
    } finally {
      source.stop();
      MDC.clear();
    }
  }
}
