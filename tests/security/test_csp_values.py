"""Building policy values: media origins of an S3-compatible store, frame-ancestors."""

from lms.security.csp import header_value, media_origins


def test_local_media_adds_no_origin():
    assert media_origins(media_storage="local", media_url="/media/") == []


def test_media_on_another_host_adds_its_origin():
    assert media_origins(media_storage="local", media_url="https://medien.example/m/") == [
        "https://medien.example"
    ]


def test_an_s3_compatible_store_adds_path_and_virtual_host_origins():
    assert media_origins(
        media_storage="s3",
        media_url="/media/",
        s3_bucket="lms-media",
        s3_endpoint_url="https://s3.land.example:9000",
    ) == ["https://s3.land.example:9000", "https://lms-media.s3.land.example:9000"]


def test_aws_s3_adds_the_buckets_global_and_regional_origins():
    assert media_origins(
        media_storage="s3", media_url="/media/", s3_bucket="lms-media", s3_region="eu-central-1"
    ) == [
        "https://lms-media.s3.amazonaws.com",
        "https://lms-media.s3.eu-central-1.amazonaws.com",
    ]


def test_frame_ancestors_follow_x_frame_options():
    policy = {"default-src": ["'self'"]}
    assert header_value(policy, x_frame_options="DENY").endswith("frame-ancestors 'none'")
    assert header_value(policy, x_frame_options="SAMEORIGIN").endswith("frame-ancestors 'self'")
    assert header_value(policy).endswith("frame-ancestors 'self'")
