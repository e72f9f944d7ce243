def test_smoke(client, user_client, app):
    c = user_client()
    r = c.post_form("/questions/ask", {"title": "How to approach a child at night?", "body": "We meet a boy of 14 each night near the station, he runs away.", "tags": "first-contact, night", "lang": "en"})
    assert r.status_code == 302, r.get_data(as_text=True)
    loc = r.headers["Location"]
    r = c.get(loc); assert r.status_code == 200
    other = user_client()
    r = other.post_form("/questions/1/answers", {"body": "Come back at the same hour every night, say who you are, do not ask questions at first."})
    assert r.status_code == 302, r.get_data(as_text=True)
    r = other.post_form("/questions/1/comments", {"body": "Good question, same here."})
    assert r.status_code == 302, r.get_data(as_text=True)
    r = c.post_form("/answers/1/vote", {"value": "up"}); assert r.status_code == 302
    r = c.post_form("/answers/1/accept"); assert r.status_code == 302
    r = client.get("/questions/1")
    html = r.get_data(as_text=True)
    assert "Accepted answer" in html, html
    for url in ["/", "/questions", "/tags", "/tags/night", "/users/member1", "/kb", "/questions/1/revisions", "/auth/login", "/auth/register", "/questions?sort=votes", "/questions/999"]:
        r = client.get(url); print(url, r.status_code, len(r.data))
    r = c.get("/questions/ask"); assert r.status_code == 200
    r = c.get("/auth/profile"); assert r.status_code == 200
    r = c.get("/questions/1/edit"); assert r.status_code == 200
