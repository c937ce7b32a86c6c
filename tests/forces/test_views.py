import pytest

pytestmark = pytest.mark.usefixtures("peel_data")


def test_the_forces_page_lists_forces_by_name_with_their_pages(client):
    response = client.get("/forces/")
    assert response.status_code == 200
    assert 'href="/forces/bedfordshire/"' in response.content.decode()


def test_an_unknown_force_is_a_404(client):
    assert client.get("/forces/gotham/").status_code == 404
