package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kewei-crm/kewei"
)

func TestSurveyLink(t *testing.T) {
	s := mustSite(t)
	wang := s.client(t, "wangli")
	id := itoa64(s.ids["张三"])
	resp, err := wang.PostForm(s.URL+"/customers/"+id+"/survey", nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	link := regexp.MustCompile(`/s/kws_[A-Za-z0-9_-]+`).FindString(string(b))
	if link == "" {
		t.Fatal("no survey link on the customer page")
	}
	anon := &http.Client{}
	if status, page := get(t, anon, s.URL+link); status != 200 || !strings.Contains(page, "接待是否热情周到") {
		t.Fatalf("the survey page: %d", status)
	}
	form := url.Values{"csat": {"2"}, "nps": {"3"}, "comment": {"等太久了"}}
	for _, k := range []string{"reception", "expertise", "delivery", "after_sales"} {
		form.Set("e_"+k, "6")
		form.Set("p_"+k, "3")
	}
	bad := url.Values{"csat": {"2"}, "nps": {"3"}}
	if resp, _ := anon.PostForm(s.URL+link, bad); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("answers missing: %d", resp.StatusCode)
	}
	resp, err = anon.PostForm(s.URL+link, form)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "谢谢您") {
		t.Fatalf("answer: %d", resp.StatusCode)
	}
	if resp, _ := anon.PostForm(s.URL+link, form); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a used link answered again: %d", resp.StatusCode)
	}
	if status, _ := get(t, anon, s.URL+link); status != http.StatusNotFound {
		t.Errorf("a used link opened again: %d", status)
	}
	// A low score leaves a call for the owner (wangli's team has no manager
	// here) the next day.
	sys := kewei.WithActor(context.Background(), kewei.SystemActor)
	tasks, err := s.svc.Playbooks.FindTasks(sys, kewei.TaskFilter{CustomerID: s.ids["张三"]})
	if err != nil || len(tasks.Items) != 1 || !strings.Contains(tasks.Items[0].TalkingPoints, "CSAT 2") {
		t.Fatalf("the low score's task: %+v %v", tasks, err)
	}
	if _, page := get(t, wang, s.URL+"/customers/"+id); !strings.Contains(page, "等太久了") {
		t.Error("the answers are not on the customer's timeline")
	}
	// An expired link is refused.
	inv, err := s.svc.Surveys.InviteToSurvey(sys, s.ids["张三"], 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(48 * time.Hour)
	if status, _ := get(t, anon, s.URL+"/s/"+inv.Token); status != http.StatusNotFound {
		t.Errorf("an expired link opened: %d", status)
	}
}

func TestSurveyEditor(t *testing.T) {
	s := mustSite(t)
	if status, _ := get(t, s.client(t, "wangli"), s.URL+"/surveys"); status != http.StatusForbidden {
		t.Errorf("a consultant opened the survey editor: %d", status)
	}
	admin := s.client(t, "admin")
	resp, err := admin.PostForm(s.URL+"/surveys", url.Values{"name": {"试驾满意度"}, "items": {"car | 车况是否良好\ncar | 重复"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a repeated key: %d", resp.StatusCode)
	}
	resp, err = admin.PostForm(s.URL+"/surveys", url.Values{"name": {"试驾满意度"}, "items": {"car | 车况是否良好\nguide | 讲解是否清楚"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, page := get(t, admin, s.URL+"/surveys"); resp.StatusCode != 200 || !strings.Contains(page, "讲解是否清楚") {
		t.Fatalf("save: %d", resp.StatusCode)
	}
}
