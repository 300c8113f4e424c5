"""Admin for the knowledge base; saves go through the services so versions and the index
stay right."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tawasul.knowledge import services
from tawasul.knowledge.models import Article, ArticleVersion


class ArticleVersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    can_delete = False
    fields = ["number", "title", "author_label", "change_note", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "entity", "service", "language", "status", "review_due"]
    list_filter = ["status", "kind", "language", "entity"]
    search_fields = ["title", "slug"]
    raw_id_fields = ["owner"]
    readonly_fields = ["status", "published_version", "published_at", "created_at", "updated_at"]
    fields = [
        "kind", "entity", "service", "language", "title", "body", "review_due", "owner",
        "slug", *readonly_fields,
    ]  # fmt: skip
    inlines = [ArticleVersionInline]
    actions = ["publish_latest"]

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        saved = services.article_save(
            actor=request.user,
            article=Article.objects.get(pk=obj.pk) if change else None,
            kind=obj.kind,
            entity=obj.entity,
            service=obj.service,
            language=obj.language,
            title=obj.title,
            body=obj.body,
            review_due=obj.review_due,
            owner=obj.owner,
            change_note=str(_("Edited in the admin")),
            slug=obj.slug,
        )
        obj.pk = saved.pk

    @admin.action(description=_("Publish the latest version"))
    def publish_latest(self, request, queryset) -> None:
        for article in queryset:
            services.article_publish(actor=request.user, article=article)
