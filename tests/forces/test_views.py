import pytest

pytestmark = pytest.mark.usefixtures("peel_data")


def test_the_home_page_lists_every_force(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/forces/') == 43


def test_an_unknown_force_is_a_404(client):
    assert client.get("/forces/gotham/").status_code == 404
