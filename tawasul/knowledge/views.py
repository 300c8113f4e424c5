"""HTML views of the knowledge base. Thin: parse, call a service or selector, render.

Pages need a second-factor-verified staff session whose role may read (or edit) articles
(:func:`tawasul.accounts.pages.staff_page`). Readers are scoped by
:func:`selectors.article_scope`, so another entity's article is a 404, not a 403, and its
existence does not leak.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tawasul.accounts.pages import staff_page
from tawasul.accounts.policy import Action
from tawasul.directory.models import Entity, Language, Service
from tawasul.errors import DomainError, NotFound
from tawasul.knowledge import selectors, services
from tawasul.knowledge.forms import ArticleForm, SearchForm
from tawasul.knowledge.models import Article

PANEL_LIMIT = 5


def _reader(request: HttpRequest) -> None:
    if not selectors.can_read_articles(request.user):
        raise PermissionDenied


def _article(request: HttpRequest, article_id: int) -> Article:
    try:
        return selectors.article_get(user=request.user, article_id=article_id)
    except NotFound:
        raise Http404 from None


def _editable(request: HttpRequest, article_id: int) -> Article:
    article = _article(request, article_id)
    if not selectors.can_edit_articles(request.user, article.entity):
        raise PermissionDenied
    return article


def _error_text(exc: DomainError) -> str:
    return f"{exc.field}: {exc.message}" if exc.field else exc.message


def _filter_choices(request: HttpRequest) -> dict:
    entities = Entity.objects.filter(active=True)
    if request.user.role == "backoffice" and not request.user.is_superuser:
        entities = entities.filter(pk=request.user.entity_id)
    return {
        "entities": entities,
        "services": Service.objects.filter(entity__in=entities, active=True),
        "languages": Language.objects.filter(active=True),
    }


@require_GET
@staff_page(Action.KNOWLEDGE_READ)
def article_list_view(request: HttpRequest) -> HttpResponse:
    _reader(request)
    form = SearchForm(request.GET)
    context = {
        "form": form,
        "can_edit": selectors.can_edit_articles(request.user),
        **_filter_choices(request),
    }
    if not form.is_valid():
        context["errors"] = form.errors
        return render(request, "knowledge/list.html", context, status=400)
    data = form.cleaned_data
    kinds = [data["kind"]] if data["kind"] else None
    try:
        if data["q"].strip():
            context["articles"] = selectors.article_search(
                user=request.user,
                query=data["q"],
                entity=data["entity"] or None,
                service=data["service"] or None,
                language=data["language"] or None,
                kinds=kinds,
                limit=selectors.MAX_LIMIT,
            )
            context["searching"] = True
        else:
            context["articles"] = selectors.article_list(
                user=request.user,
                entity=data["entity"] or None,
                service=data["service"] or None,
                language=data["language"] or None,
                kinds=kinds,
                status=data["status"] or None,
            )[:200]
    except DomainError as exc:
        context["error"] = _error_text(exc)
        return render(request, "knowledge/list.html", context, status=400)
    return render(request, "knowledge/list.html", context)


@require_GET
@staff_page(Action.KNOWLEDGE_READ)
def article_view(request: HttpRequest, article_id: int) -> HttpResponse:
    _reader(request)
    article = _article(request, article_id)
    latest = selectors.article_latest_version(article=article)
    return render(
        request,
        "knowledge/article.html",
        {
            "article": article,
            "latest": latest,
            "pending": latest is not None and latest.number != article.published_version,
            "can_edit": selectors.can_edit_articles(request.user, article.entity),
        },
    )


def _save(request: HttpRequest, form: ArticleForm, article: Article | None) -> Article:
    data = form.cleaned_data
    return services.article_save(
        actor=request.user,
        article=article,
        kind=data["kind"],
        entity=data["entity"],
        service=data["service"],
        language=data["language"],
        title=data["title"],
        body=data["body"],
        review_due=data["review_due"],
        change_note=data["change_note"],
        publish="publish" in request.POST,
    )


@require_http_methods(["GET", "POST"])
@staff_page(Action.KNOWLEDGE_EDIT)
def article_edit_view(request: HttpRequest, article_id: int | None = None) -> HttpResponse:
    _reader(request)
    article = _editable(request, article_id) if article_id else None
    if article is None and not selectors.can_edit_articles(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = ArticleForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                article = _save(request, form, article)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Article saved."))
                return redirect("knowledge:article", article_id=article.pk)
        status = 400
    else:
        initial = {}
        if article is not None:
            initial = ArticleForm.initial_for(article)
            latest = selectors.article_latest_version(article=article)
            if latest is not None:  # editors continue from the newest text, even unpublished
                initial.update(title=latest.title, body=latest.body)
        form = ArticleForm(initial=initial, user=request.user)
        status = 200
    versions = selectors.article_versions(article=article) if article else []
    return render(
        request,
        "knowledge/edit.html",
        {"form": form, "article": article, "versions": versions},
        status=status,
    )


@require_POST
@staff_page(Action.KNOWLEDGE_EDIT)
def article_publish_view(request: HttpRequest, article_id: int) -> HttpResponse:
    _reader(request)
    article = _editable(request, article_id)
    number = request.POST.get("number")
    try:
        services.article_publish(
            actor=request.user,
            article=article,
            number=int(number) if number and number.isdigit() else None,
        )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
        return redirect("knowledge:edit", article_id=article.pk)
    messages.success(request, _("Article published."))
    return redirect("knowledge:article", article_id=article.pk)


@require_POST
@staff_page(Action.KNOWLEDGE_EDIT)
def article_archive_view(request: HttpRequest, article_id: int) -> HttpResponse:
    _reader(request)
    article = _editable(request, article_id)
    services.article_archive(actor=request.user, article=article)
    messages.success(request, _("Article archived."))
    return redirect("knowledge:article", article_id=article.pk)


@require_POST
@staff_page(Action.KNOWLEDGE_EDIT)
def version_restore_view(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    _reader(request)
    article = _editable(request, article_id)
    try:
        services.article_version_restore(actor=request.user, article=article, number=number)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Version %(number)s restored.") % {"number": number})
    return redirect("knowledge:edit", article_id=article.pk)


@require_GET
@staff_page(Action.KNOWLEDGE_EDIT)
def version_diff_view(request: HttpRequest, article_id: int) -> HttpResponse:
    _reader(request)
    article = _editable(request, article_id)
    versions = {v.number: v for v in selectors.article_versions(article=article)}
    try:
        old_number, new_number = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        old_number = new_number = 0
    if old_number not in versions or new_number not in versions:
        return render(
            request,
            "knowledge/diff.html",
            {"article": article, "error": _("Choose two existing versions (a and b).")},
            status=400,
        )
    old, new = versions[old_number], versions[new_number]
    return render(
        request,
        "knowledge/diff.html",
        {
            "article": article,
            "old": old,
            "new": new,
            "diff": selectors.version_diff(old=old, new=new),
        },
    )


@require_GET
@staff_page(Action.KNOWLEDGE_READ)
def panel_view(request: HttpRequest) -> HttpResponse:
    """The fragment the agent desktop embeds beside the current contact (no base template)."""
    _reader(request)
    params = {key: request.GET.get(key, "").strip() for key in ("entity", "service", "q", "lang")}
    context = {"params": params, "articles": [], "error": None}
    try:
        # The contact's entity filters; its service and language only come first, so the
        # agent still sees the entity's other articles and those in Arabic/English.
        context["articles"] = selectors.article_search(
            user=request.user,
            query=params["q"],
            entity=params["entity"] or None,
            prefer_service=params["service"] or None,
            prefer_language=params["lang"] or None,
            limit=PANEL_LIMIT,
        )
    except DomainError as exc:
        # The panel's parameter is ``lang``; name it as the caller wrote it.
        field = "lang" if exc.field == "language" else exc.field
        context["error"] = {"field": field, "message": exc.message}
        return render(request, "knowledge/panel.html", context, status=400)
    return render(request, "knowledge/panel.html", context)
