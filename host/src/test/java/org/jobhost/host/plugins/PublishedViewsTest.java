package org.jobhost.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.jobhost.api.AdminView;
import org.junit.jupiter.api.Test;

class PublishedViewsTest {

  private final PublishedViews views = new PublishedViews();

  private static AdminView view(String name, String title) {
    return new AdminView() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String title() {
        return title;
      }

      @Override
      public List<Map<String, Object>> rows(Map<String, String> filters) {
        return List.of();
      }
    };
  }

  @Test
  void viewsAreKeptInTheOrderOfferedAndASecondOfferOfANameReplacesTheFirst() {
    views.publish("cron", view("tasks", "old"));
    views.publish("queue", view("dead-jobs", "Dead jobs"));
    views.publish("cron", view("tasks", "Cron tasks"));

    assertThat(views.all()).extracting(AdminView::name).containsExactly("tasks", "dead-jobs");
    assertThat(views.all().get(0).title()).isEqualTo("Cron tasks");
  }

  @Test
  void anotherPluginsNameAndAnInvalidNameAreRefused() {
    views.publish("cron", view("tasks", "Cron tasks"));
    views.publish("thief", view("tasks", "Not cron"));
    views.publish("x", view("Bad Name", "spaces"));
    views.publish("y", view(null, "no name"));

    assertThat(views.all()).extracting(AdminView::title).containsExactly("Cron tasks");
  }

  @Test
  void forgettingAPluginDropsOnlyItsViews() {
    views.publish("cron", view("tasks", "Cron tasks"));
    views.publish("cron", view("history", "History"));
    views.publish("queue", view("cluster", "Cluster"));

    views.forget("cron");

    assertThat(views.all()).extracting(AdminView::name).containsExactly("cluster");
  }
}
