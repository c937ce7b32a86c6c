from django.shortcuts import get_object_or_404, render

from forces.models import Force


def force_list(request):
    return render(request, "forces/force_list.html", {"forces": Force.objects.all()})


def force_detail(request, slug: str):
    force = get_object_or_404(Force, slug=slug)
    grades = force.grades.select_related("question__round").order_by("question__round__position", "question__position")
    return render(request, "forces/force_detail.html", {"force": force, "grades": grades})
