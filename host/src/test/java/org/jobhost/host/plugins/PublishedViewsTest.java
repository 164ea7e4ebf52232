package org.jobhost.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.jobhost.api.AdminView;
import org.junit.jupiter.api.Test;

class PublishedViewsTest {

  private final PublishedViews views = new PublishedViews();

  /** A view with no rows. */
  private record View(String name, String title) implements AdminView {
    @Override
    public List<Map<String, Object>> rows(Map<String, String> filters) {
      return List.of();
    }
  }

  @Test
  void viewsAreKeptInTheOrderOfferedAndASecondOfferOfANameReplacesTheFirst() {
    views.publish("cron", new View("tasks", "old"));
    views.publish("queue", new View("dead-jobs", "Dead jobs"));
    views.publish("cron", new View("tasks", "Cron tasks"));

    assertThat(views.all()).extracting(AdminView::name).containsExactly("tasks", "dead-jobs");
    assertThat(views.all().get(0).title()).isEqualTo("Cron tasks");
  }

  @Test
  void anotherPluginsNameAndAnInvalidNameAreRefused() {
    views.publish("cron", new View("tasks", "Cron tasks"));
    views.publish("thief", new View("tasks", "Not cron"));
    views.publish("x", new View("Bad Name", "spaces"));
    views.publish("y", new View(null, "no name"));

    assertThat(views.all()).extracting(AdminView::title).containsExactly("Cron tasks");
  }

  @Test
  void forgettingAPluginDropsOnlyItsViews() {
    views.publish("cron", new View("tasks", "Cron tasks"));
    views.publish("cron", new View("history", "History"));
    views.publish("queue", new View("cluster", "Cluster"));

    views.forget("cron");

    assertThat(views.all()).extracting(AdminView::name).containsExactly("cluster");
  }
}
