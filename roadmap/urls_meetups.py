from django.urls import path

from roadmap.views import meetups

urlpatterns = [
    path("", meetups.meetup_list, name="meetup_list"),
]
